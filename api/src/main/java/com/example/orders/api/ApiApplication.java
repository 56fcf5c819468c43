package com.example.orders.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The api process: a Temporal client (it starts, updates, cancels and queries order workflows but
 * runs none) plus read models over PostgreSQL. Stateless; run as many replicas as needed.
 */
@SpringBootApplication(scanBasePackages = {
    "com.example.orders.api",
    "com.example.orders.order",
    "com.example.orders.audit",
    "com.example.orders.inventory",
    "com.example.orders.payment",
    "com.example.orders.shipping",
    "com.example.orders.demo",
    "com.example.orders.temporal"})
@ConfigurationPropertiesScan("com.example.orders.shipping")
public class ApiApplication {
  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
