package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.testing.DatabaseIntegrationTest;
import org.junit.jupiter.api.Test;

/** The production migrations, applied to an empty database, leave the schema the services expect. */
class SchemaIntegrationTests extends DatabaseIntegrationTest {

  @Test
  void theProductionSchemaHasNoFaultInjectionTable() {
    // V2 and V3 created it once; V5 retires it (fault injection's own table comes from devtools only)
    assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'injected_faults'")).isZero();
    assertThat(count("SELECT count(*) FROM flyway_schema_history WHERE success AND version = '5'")).isEqualTo(1);
  }

  @Test
  void theTablesOfEveryDomainExist() {
    assertThat(count("""
        SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN
          ('orders', 'order_items', 'order_steps', 'products', 'customers', 'payments', 'shipments')""")).isEqualTo(7);
  }
}
