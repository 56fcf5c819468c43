package com.example.orders.workers;

import com.example.orders.domain.DomainConfiguration;
import com.example.orders.security.ActuatorOnlySecurityConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The workers process: polls task queue "orders" for OrderWorkflow tasks and the saga's
 * activities. Run as many as you like; Temporal spreads the tasks over them.
 */
@SpringBootApplication(scanBasePackages = {
    "com.example.orders.workers", "com.example.orders.activities", "com.example.orders.temporal"})
@Import({DomainConfiguration.class, ActuatorOnlySecurityConfiguration.class})
public class WorkersApplication {
  public static void main(String[] args) {
    SpringApplication.run(WorkersApplication.class, args);
  }
}
