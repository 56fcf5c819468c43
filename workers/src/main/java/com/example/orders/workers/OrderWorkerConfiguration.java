package com.example.orders.workers;

import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Temporal's Spring Boot auto-configuration does not do for the workers process. It builds the
 * client, the WorkerFactory and the worker of task queue "orders" from {@code spring.temporal.*}
 * (application.yml) and starts polling once the application is ready; on shutdown it only calls
 * {@code shutdown()}. This drains first: activities in flight get time to finish their transaction
 * and report, instead of being retried elsewhere after their start-to-close timeout.
 */
@Configuration(proxyBeanMethods = false)
class OrderWorkerConfiguration {

  static final int DRAIN_SECONDS = 20;

  @Bean
  SmartLifecycle drainWorkersOnShutdown(WorkerFactory factory) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true; // polling itself starts on ApplicationReadyEvent (the auto-configuration)
      }

      @Override
      public void stop() {
        factory.shutdown();
        factory.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
