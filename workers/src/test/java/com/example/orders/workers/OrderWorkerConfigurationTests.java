package com.example.orders.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** On shutdown the workers stop polling and let the tasks in flight finish before anything else stops. */
class OrderWorkerConfigurationTests {

  private final WorkerFactory factory = mock(WorkerFactory.class);
  private final SmartLifecycle drain = new OrderWorkerConfiguration().drainWorkersOnShutdown(factory);

  @Test
  void startingLeavesPollingToTheAutoConfiguration() {
    drain.start();

    assertThat(drain.isRunning()).isTrue();
    verifyNoInteractions(factory);
  }

  @Test
  void stoppingShutsDownGracefullyThenWaitsForTheTasksInFlight() {
    drain.start();
    drain.stop();

    InOrder order = inOrder(factory);
    order.verify(factory).shutdown();
    order.verify(factory).awaitTermination(OrderWorkerConfiguration.DRAIN_SECONDS, TimeUnit.SECONDS);
    verify(factory, never()).shutdownNow(); // that would interrupt the activities in flight
    assertThat(drain.isRunning()).isFalse();
  }

  @Test
  void theDrainFitsInSpringsShutdownPhaseAndStopsBeforeTheDefaultPhases() {
    // spring.lifecycle.timeout-per-shutdown-phase is 30 s unless configured
    assertThat(OrderWorkerConfiguration.DRAIN_SECONDS).isPositive().isLessThan(30);
    // the highest phase stops first: before the web server and the beans activities use (their DataSource)
    assertThat(drain.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE);
    assertThat(drain.isAutoStartup()).isTrue();
  }

  @Test
  void closingTheApplicationDrainsTheWorkers() {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.registerBean(WorkerFactory.class, () -> factory);
    context.register(OrderWorkerConfiguration.class);
    context.refresh();
    verify(factory, never()).shutdown();

    context.close();

    InOrder order = inOrder(factory);
    order.verify(factory).shutdown();
    order.verify(factory).awaitTermination(OrderWorkerConfiguration.DRAIN_SECONDS, TimeUnit.SECONDS);
  }
}
