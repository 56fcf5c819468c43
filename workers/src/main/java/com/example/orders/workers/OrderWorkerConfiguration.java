package com.example.orders.workers;

import com.example.orders.inventory.InventoryActivities;
import com.example.orders.order.OrderActivities;
import com.example.orders.order.OrderContract;
import com.example.orders.order.OrderWorkflowImpl;
import com.example.orders.payment.PaymentActivities;
import com.example.orders.shipping.ShippingActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrderWorkerConfiguration.WorkerTuning.class)
class OrderWorkerConfiguration {

  /** Worker capacity; defaults suit the 2-core box everything runs on under ./run. */
  @ConfigurationProperties("orders.worker")
  record WorkerTuning(Integer maxConcurrentActivities, Integer maxConcurrentWorkflowTasks) {
    WorkerTuning {
      maxConcurrentActivities = maxConcurrentActivities == null ? 50 : maxConcurrentActivities;
      maxConcurrentWorkflowTasks = maxConcurrentWorkflowTasks == null ? 50 : maxConcurrentWorkflowTasks;
    }
  }

  @Bean
  WorkerFactory workerFactory(WorkflowClient client, WorkerTuning tuning, InventoryActivities inventory,
      PaymentActivities payments, ShippingActivities shipping, OrderActivities orders) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(OrderContract.TASK_QUEUE,
        WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(tuning.maxConcurrentActivities())
            .setMaxConcurrentWorkflowTaskExecutionSize(tuning.maxConcurrentWorkflowTasks())
            // Eager activity dispatch stays on (SDK default); it takes effect only where the server
            // enables it, as config/temporal-dev-server.args does. More pollers measured no gain.
            .build());
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
    worker.registerActivitiesImplementations(inventory, payments, shipping, orders);
    return factory;
  }

  /** Starts polling once the context (database pool, migrations) is up; drains on shutdown. */
  @Bean
  SmartLifecycle workerLifecycle(WorkerFactory factory) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        factory.start();
        running = true;
      }

      @Override
      public void stop() {
        factory.shutdown();
        factory.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS);
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
