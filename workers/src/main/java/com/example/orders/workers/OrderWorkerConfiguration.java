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
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrderWorkerConfiguration.WorkerTuning.class)
class OrderWorkerConfiguration {

  /**
   * Worker capacity; defaults suit the 2-core box everything runs on under ./run. Null means the
   * SDK's default. See README, Performance, for what each was measured to do.
   */
  @ConfigurationProperties("orders.worker")
  record WorkerTuning(Integer maxConcurrentActivities, Integer maxConcurrentWorkflowTasks,
      Integer workflowPollers, Integer activityPollers, Boolean virtualThreads, Integer workflowCacheSize,
      Boolean eagerActivities) {
    WorkerTuning {
      maxConcurrentActivities = maxConcurrentActivities == null ? 50 : maxConcurrentActivities;
      maxConcurrentWorkflowTasks = maxConcurrentWorkflowTasks == null ? 50 : maxConcurrentWorkflowTasks;
      virtualThreads = virtualThreads != null && virtualThreads;
      eagerActivities = eagerActivities == null || eagerActivities;
    }
  }

  @Bean
  WorkerFactory workerFactory(WorkflowClient client, WorkerTuning tuning, InventoryActivities inventory,
      PaymentActivities payments, ShippingActivities shipping, OrderActivities orders) {
    WorkerFactoryOptions.Builder factoryOptions = WorkerFactoryOptions.newBuilder()
        .setUsingVirtualWorkflowThreads(tuning.virtualThreads());
    if (tuning.workflowCacheSize() != null) {
      factoryOptions.setWorkflowCacheSize(tuning.workflowCacheSize());
    }
    WorkerFactory factory = WorkerFactory.newInstance(client, factoryOptions.build());
    WorkerOptions.Builder options = WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(tuning.maxConcurrentActivities())
        .setMaxConcurrentWorkflowTaskExecutionSize(tuning.maxConcurrentWorkflowTasks())
        .setUsingVirtualThreads(tuning.virtualThreads())
        // eager: the server may hand the next activity back in the workflow task's response
        // (only when it has system.enableActivityEagerExecution, which ./run's dev server sets)
        .setDisableEagerExecution(!tuning.eagerActivities());
    if (tuning.workflowPollers() != null) {
      options.setMaxConcurrentWorkflowTaskPollers(tuning.workflowPollers());
    }
    if (tuning.activityPollers() != null) {
      options.setMaxConcurrentActivityTaskPollers(tuning.activityPollers());
    }
    Worker worker = factory.newWorker(OrderContract.TASK_QUEUE, options.build());
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
