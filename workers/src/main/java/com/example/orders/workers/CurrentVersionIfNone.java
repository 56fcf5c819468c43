package com.example.orders.workers;

import com.example.orders.temporal.DeploymentCurrentVersion;
import com.example.orders.workflows.order.OrderContract;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the worker of task queue "orders" polls, makes its build the current version of its Worker
 * Deployment if the deployment has none ({@code orders.deployment.*}, DeploymentCurrentVersion). In the
 * background: the process is healthy while it waits, and a Temporal that answers only later is retried.
 */
@Component
class CurrentVersionIfNone {

  private static final Logger log = LoggerFactory.getLogger(CurrentVersionIfNone.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final WorkerFactory factory;
  private final WorkflowClient client;
  private final boolean enabled;
  private final boolean replaceCurrent;
  private volatile Thread waiting;

  CurrentVersionIfNone(WorkerFactory factory, WorkflowClient client,
      @Value("${orders.deployment.make-current-if-none}") boolean enabled,
      @Value("${orders.deployment.replace-current}") boolean replaceCurrent) {
    this.factory = factory;
    this.client = client;
    this.enabled = enabled;
    this.replaceCurrent = replaceCurrent;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    Worker worker = factory.getWorker(OrderContract.TASK_QUEUE);
    WorkerDeploymentOptions deployment = worker == null ? null : worker.getWorkerOptions().getDeploymentOptions();
    if (deployment == null || !deployment.isUsingVersioning()) {
      return;
    }
    if (!enabled) {
      log.info("Worker Deployment {}: version {} not made current by this process "
          + "(ORDERS_DEPLOYMENT_MAKE_CURRENT_IF_NONE=false)", deployment.getVersion().getDeploymentName(),
          deployment.getVersion().getBuildId());
      return;
    }
    DeploymentCurrentVersion current = new DeploymentCurrentVersion(client.getWorkflowServiceStubs(),
        client.getOptions().getNamespace(), OrderContract.TASK_QUEUE, deployment.getVersion(),
        client.getOptions().getIdentity(), replaceCurrent, INTERVAL);
    waiting = Thread.ofVirtual().name("deployment-current-version").start(() -> {
      try {
        current.await();
      } catch (InterruptedException stopping) {
        // the process stops before its version was registered: nothing to do
      }
    });
  }

  @PreDestroy
  void stop() throws InterruptedException {
    Thread thread = waiting;
    if (thread != null) {
      thread.interrupt();
      thread.join(Duration.ofSeconds(5));
    }
  }
}
