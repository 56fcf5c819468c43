package com.example.orders.workers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The workers process: polls task queue "orders" for OrderWorkflow tasks and the saga's
 * activities. Run as many as you like; Temporal spreads the tasks over them.
 */
@SpringBootApplication(scanBasePackages = {
    "com.example.orders.workers",
    "com.example.orders.order",
    "com.example.orders.audit",
    "com.example.orders.inventory",
    "com.example.orders.payment",
    "com.example.orders.shipping",
    "com.example.orders.temporal"})
@ConfigurationPropertiesScan("com.example.orders.shipping")
public class WorkersApplication {
  public static void main(String[] args) {
    SpringApplication.run(WorkersApplication.class, args);
  }
}
