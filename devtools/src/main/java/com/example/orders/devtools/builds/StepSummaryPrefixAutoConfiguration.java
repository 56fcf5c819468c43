package com.example.orders.devtools.builds;

import io.temporal.common.interceptors.WorkerInterceptor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A second build of the workers for the rollout tests (system-tests' RolloutIT): active only when
 * this jar is on the workers' classpath (the tests add it with {@code -Dloader.path}) and
 * {@code orders.test.step-summary-prefix} (ORDERS_TEST_STEP_SUMMARY_PREFIX) is set, e.g. to B; then
 * every activity's summary starts with "B: " ({@link StepSummaryPrefix}).
 */
@AutoConfiguration
@ConditionalOnProperty("orders.test.step-summary-prefix")
public class StepSummaryPrefixAutoConfiguration {

  @Bean
  WorkerInterceptor stepSummaryPrefix(@Value("${orders.test.step-summary-prefix}") String label) {
    return new StepSummaryPrefix(label + ": ");
  }
}
