package com.example.orders.domain.order;

import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The order business counters: {@code orders.completed}, {@code orders.failed} by reason,
 * {@code orders.cancelled}. Counted once per order, when the transaction that made the order final
 * commits: a retried activity that finds the order already final counts nothing. Labels are low
 * cardinality by design: never an order or customer id.
 */
@Component
public class OrderMetrics {

  private final MeterRegistry registry;

  public OrderMetrics(ObjectProvider<MeterRegistry> registry) {
    // a process without Micrometer (the domain's integration tests) counts into a throwaway registry
    this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
  }

  void completed() {
    afterCommit(() -> registry.counter("orders.completed").increment());
  }

  void undone(OrderStatus finalStatus, OrderFailure failure) {
    if (finalStatus == OrderStatus.CANCELLED) {
      afterCommit(() -> registry.counter("orders.cancelled").increment());
    } else {
      String reason = failure == null || failure.reason() == null ? "UNKNOWN" : failure.reason();
      afterCommit(() -> registry.counter("orders.failed", "reason", reason).increment());
    }
  }

  private static void afterCommit(Runnable count) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      count.run();
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        count.run();
      }
    });
  }
}
