package com.example.orders.domain.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Each change writes its event in its own transaction, once, with the next sequence number of its key. */
class OutboxIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;
  @Autowired ShippingService shipping;
  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;

  record Row(String type, long sequence, String data) {}

  @Test
  void aCompletedOrderAnnouncesItsPlacementAndCompletionOnceEachWhateverIsRetried() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"));
    orderService.record(order, "key-1", "user_1");
    orderService.record(order, "key-1", "user_1");
    inventory.reserve(order, 1);
    inventory.reserve(order, 2);
    payments.charge(order.orderId(), 1);
    shipping.book(order.orderId(), 1, null);
    orderService.confirm(order.orderId(), 1);
    orderService.confirm(order.orderId(), 2);

    List<Row> rows = events(order.orderId());
    assertThat(rows).extracting(Row::type).containsExactly("OrderPlaced", "OrderCompleted");
    assertThat(rows).extracting(Row::sequence).containsExactly(1L, 2L);
    assertThat(rows.get(0).data()).contains("\"total\": \"100.00\"", "\"customerId\": \"user_1\"",
        "\"items\": [{", "\"unitPrice\": \"50.00\"");
    assertThat(rows.get(1).data()).contains("\"loyaltyPointsAwarded\": 100");
    // the customer by id only: no name, no address reaches an event
    assertThat(rows).extracting(Row::data).noneMatch(data -> data.contains("Ada") || data.contains("Main St")
        || data.contains("Springfield") || data.contains("12345"));
  }

  @Test
  void anUndoneOrderAnnouncesTheRefundThenTheFailureWithItsReason() {
    OrderRequest order = recorded(order("user_2", "AQ", line("product_1", 1, "50.00")));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    OrderFailure failure = new OrderFailure("createShipment", "UNDELIVERABLE_ADDRESS", "no AQ", 1);
    orderService.markCompensating(order, failure);
    payments.refund(order.orderId(), 1);
    payments.refund(order.orderId(), 2);
    inventory.release(order.orderId(), 1);
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED, failure);
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED, failure);

    List<Row> rows = events(order.orderId());
    assertThat(rows).extracting(Row::type).containsExactly("OrderPlaced", "PaymentRefunded", "OrderFailed");
    assertThat(rows).extracting(Row::sequence).containsExactly(1L, 2L, 3L);
    assertThat(rows.get(1).data()).contains("\"amount\": \"50.00\"", "\"cause\": \"ORDER_UNDONE\"");
    assertThat(rows.get(2).data()).contains("\"reason\": \"UNDELIVERABLE_ADDRESS\"", "\"failedStep\": \"createShipment\"");
  }

  @Test
  void aCancelledOrderAndAReviewAreAnnounced() {
    OrderRequest order = recorded(order("user_1", "US", line("product_3", 1, "300.00")));
    inventory.reserve(order, 1);
    String deadline = OffsetDateTime.now().plusHours(1).toString();
    orderService.markAwaitingReview(order.orderId(), deadline);
    orderService.markAwaitingReview(order.orderId(), deadline);
    OrderFailure cancelled = new OrderFailure("review", "CANCELLED", "cancelled by user_1", 1);
    orderService.markCompensating(order, cancelled);
    inventory.release(order.orderId(), 1);
    orderService.markCompensated(order.orderId(), OrderStatus.CANCELLED, cancelled);

    assertThat(events(order.orderId())).extracting(Row::type)
        .containsExactly("OrderPlaced", "OrderAwaitingReview", "OrderCancelled");
    assertThat(events(order.orderId()).get(2).data()).contains("\"reason\": \"CANCELLED\"").doesNotContain("failedStep");
  }

  @Test
  void aShipmentsLifeIsAnnouncedOncePerCarrierEventAndALostParcelOnce() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    String tracking = shipping.book(order.orderId(), 1, Duration.ofDays(14)).trackingNumber();
    orderService.confirm(order.orderId(), 1);
    OffsetDateTime at = OffsetDateTime.parse("2026-12-03T10:00:00Z");
    shipping.recordEvent(tracking, "e-1", "DISPATCHED", at, "DISPATCHED");
    shipping.recordEvent(tracking, "e-1", "DISPATCHED", at, "DISPATCHED");
    shipping.markLostAndRefund(order.orderId(), 1);
    shipping.markLostAndRefund(order.orderId(), 2);

    List<Row> rows = events(order.orderId());
    assertThat(rows).extracting(Row::type).containsExactly("OrderPlaced", "OrderCompleted", "ShipmentDispatched",
        "ShipmentLost", "PaymentRefunded");
    assertThat(rows.get(2).data()).contains("\"trackingNumber\": \"" + tracking + "\"", "\"occurredAt\": \"2026-12-03T10:00:00Z\"");
    assertThat(rows.get(4).data()).contains("\"cause\": \"SHIPMENT_LOST\"");
  }

  @Test
  void anOperatorsStockChangeIsAnnouncedPerSkuAndItsSequenceOutlivesTheDemoReset() {
    inventory.upsertProduct("product_1", null, null, 150, "operator");
    demoData.reset("test");
    inventory.upsertProduct("product_1", null, new BigDecimal("55.00"), null, "operator");

    List<Row> rows = jdbc.sql("""
            SELECT event_type, sequence, data::text FROM outbox_events
            WHERE topic = 'inventory.events' AND message_key = 'product_1' ORDER BY position DESC LIMIT 2""")
        .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3))).list();
    assertThat(rows).extracting(Row::type).containsOnly("StockChanged");
    assertThat(rows.get(0).sequence()).isEqualTo(rows.get(1).sequence() + 1);
    assertThat(rows.get(0).data()).contains("\"price\": \"55.00\"", "\"available\": 100", "\"changedBy\": \"operator\"");
    assertThat(rows.get(1).data()).contains("\"available\": 150");
  }

  @Test
  void anEventOfARolledBackChangeIsNeverWritten() {
    long before = count("SELECT count(*) FROM outbox_events");
    assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
      outbox.orderEvent("rolled-back", "user_1", "OrderCompleted", Map.of());
      throw new IllegalStateException("the change fails after its event was written");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(count("SELECT count(*) FROM outbox_events")).isEqualTo(before);
    assertThatThrownBy(() -> outbox.orderEvent("no-transaction", "user_1", "OrderCompleted", Map.of()))
        .as("never outside the change's transaction").isNotNull();
  }

  @Test
  void oneKeysConcurrentWritersCommitInSequenceOrder() throws Exception {
    String key = "concurrent-" + System.nanoTime();
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> writers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        writers.add(pool.submit(() -> {
          for (int j = 0; j < 25; j++) {
            transactions.executeWithoutResult(status -> outbox.orderEvent(key, "user_1", "OrderCompleted", Map.of()));
          }
        }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    }
    List<Long> sequencesByPosition = jdbc.sql(
            "SELECT sequence FROM outbox_events WHERE message_key = :key ORDER BY position")
        .param("key", key).query(Long.class).list();
    assertThat(sequencesByPosition).hasSize(200).isSorted().doesNotHaveDuplicates();
    assertThat(sequencesByPosition.get(199)).isEqualTo(200L);
  }

  private List<Row> events(String orderId) {
    return jdbc.sql("""
            SELECT event_type, sequence, data::text FROM outbox_events
            WHERE topic = 'orders.events' AND message_key = :key ORDER BY position""")
        .param("key", orderId)
        .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3)))
        .list();
  }
}
