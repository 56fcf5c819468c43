package com.example.orders.devtools.faults;

import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fault injection for the end-to-end tests, active only when this jar is on the classpath of the
 * api or workers process (the tests add it with {@code -Dloader.path}) and
 * {@code orders.fault-injection.enabled=true}. Its table comes from its own migration location and
 * history table, so the production schema never has it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnBooleanProperty("orders.fault-injection.enabled")
public class FaultInjectionAutoConfiguration {

  /** Test-only location and history table: applied after (and apart from) the production migrations. */
  static final String LOCATION = "classpath:db/faults";
  static final String HISTORY_TABLE = "fault_injection_schema_history";

  @Bean
  FaultInjector faultInjector(DataSource dataSource, ObjectProvider<FlywayMigrationInitializer> productionMigrations) {
    productionMigrations.getIfAvailable(); // creating it runs the production migrations, which come first
    Flyway.configure()
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return new FaultInjector(JdbcClient.create(dataSource));
  }

  @Bean
  WorkerInterceptor faultInjectingActivities(FaultInjector faults) {
    return new FaultInjectingActivities(faults);
  }

  @Bean
  WorkflowClientInterceptor faultInjectingClient(FaultInjector faults) {
    return new FaultInjectingClient(faults);
  }
}
