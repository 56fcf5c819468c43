package com.example.orders.activities.shipping;

import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The WorkflowClient the sweep's activity starts workflows with, here on Temporal's in-process test
 * server (in the workers process it is the auto-configured one). Tests add their workers before start().
 */
@Configuration(proxyBeanMethods = false)
class TemporalTestServerConfiguration {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment temporalTestServer() {
    return TestWorkflowEnvironment.newInstance();
  }

  @Bean
  WorkflowClient workflowClient(TestWorkflowEnvironment temporal) {
    return temporal.getWorkflowClient();
  }
}
