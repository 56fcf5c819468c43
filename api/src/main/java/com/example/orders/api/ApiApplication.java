package com.example.orders.api;

import com.example.orders.domain.DomainConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The api process: a Temporal client (it starts, updates, cancels and queries order workflows but
 * runs none) plus read models over PostgreSQL. Stateless; run as many replicas as needed.
 */
@SpringBootApplication(scanBasePackages = {"com.example.orders.api", "com.example.orders.temporal"})
@Import(DomainConfiguration.class)
public class ApiApplication {
  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
