package com.example.orders.relay;

import com.example.orders.security.ActuatorOnlySecurityConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The outbox relay process: publishes committed order and stock events to Kafka. Its own process so
 * that it scales, fails and restarts apart from the workers, and needs neither Temporal nor a worker
 * slot (docs/architecture.md, Events).
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(RelayProperties.class)
@Import(ActuatorOnlySecurityConfiguration.class)
public class RelayApplication {
  public static void main(String[] args) {
    SpringApplication.run(RelayApplication.class, args);
  }
}
