package com.example.orders.domain.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.order.BusinessRuleViolation;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Real threads racing on real rows: no oversell, no overdraft, no deadlock. */
class StockRaceIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;

  @Test
  void fortyBuyersForTenUnitsSellExactlyTen() throws Exception {
    inventory.upsertProduct("hot", "Hot item", new java.math.BigDecimal("10.00"), 10, "test");
    AtomicInteger reserved = new AtomicInteger();
    AtomicInteger outOfStock = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    race(40, i -> {
      try {
        inventory.reserve(order("user_1", "US", line("hot", 1, "10.00")), 1);
        reserved.incrementAndGet();
      } catch (BusinessRuleViolation v) {
        if (OrderFailureReason.OUT_OF_STOCK.equals(v.reason())) {
          outOfStock.incrementAndGet();
        } else {
          unexpected.add(v);
        }
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
    });
    assertThat(unexpected).isEmpty();
    assertThat(reserved.get()).isEqualTo(10);
    assertThat(outOfStock.get()).isEqualTo(30);
    assertThat(available("hot")).isZero();
    assertThat(reserved("hot")).isEqualTo(10);
  }

  @Test
  void overlappingOrdersInOppositeLineOrderNeverDeadlock() throws Exception {
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    race(30, i -> {
      OrderRequest order = i % 2 == 0
          ? order("user_1", "US", line("product_1", 1, "50.00"), line("product_2", 1, "120.00"))
          : order("user_1", "US", line("product_2", 1, "120.00"), line("product_1", 1, "50.00"));
      try {
        inventory.reserve(order, 1);
        inventory.release(order.orderId(), 1);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    });
    assertThat(failures).isEmpty();
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(available("product_2")).isEqualTo(50);
    assertThat(reserved("product_1") + reserved("product_2")).isZero();
  }

  @Test
  void concurrentChargesNeverOverdrawTheBalance() throws Exception {
    List<OrderRequest> orders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      orders.add(recorded(order("user_3", "US", line("product_1", 1, "50.00"))));
    }
    AtomicInteger charged = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    race(orders.size(), i -> {
      try {
        payments.charge(orders.get(i).orderId(), 1);
        charged.incrementAndGet();
      } catch (BusinessRuleViolation v) {
        refused.incrementAndGet();
      }
    });
    assertThat(charged.get()).isEqualTo(4);
    assertThat(refused.get()).isEqualTo(8);
    assertThat(balance("user_3")).isEqualByComparingTo("0.00");
  }

  /** Runs {@code task(i)} for i in [0, n) on n threads released at the same instant. */
  private static void race(int n, Consumer<Integer> task) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < n; i++) {
      int index = i;
      pool.submit(() -> {
        start.await();
        task.accept(index);
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
  }
}
