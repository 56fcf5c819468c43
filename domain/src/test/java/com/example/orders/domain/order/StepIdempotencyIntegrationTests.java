package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every step and compensation, invoked twice (a retry after a crash), changes state once. */
class StepIdempotencyIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;
  @Autowired ShippingService shipping;

  @Test
  void reserveTwiceReservesOnceAndRepeatsTheFirstReceipt() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"));
    assertThat(inventory.reserve(order, 1)).isEqualTo(1);
    assertThat(inventory.reserve(order, 2)).isEqualTo(1);
    assertThat(available("product_1")).isEqualTo(98);
    assertThat(reserved("product_1")).isEqualTo(2);
    assertThat(status(order.orderId())).isEqualTo("RESERVED");
  }

  @Test
  void reserveFindsTheOrderTheApiRecordedOrRecordsItFromTheInput() {
    OrderRequest recordedByApi = recorded(order("user_1", "US", line("product_1", 2, "50.00")));
    OrderRequest apiDiedFirst = order("user_1", "US", line("product_1", 1, "50.00"), line("product_2", 1, "120.00"));
    assertThat(inventory.reserve(recordedByApi, 1)).isEqualTo(1);
    assertThat(inventory.reserve(apiDiedFirst, 1)).isEqualTo(1);
    assertThat(status(recordedByApi.orderId())).isEqualTo("RESERVED");
    assertThat(status(apiDiedFirst.orderId())).isEqualTo("RESERVED");
    assertThat(count("SELECT count(*) FROM order_items WHERE order_id = '" + apiDiedFirst.orderId() + "'")).isEqualTo(2);
    assertThat(reserved("product_1")).isEqualTo(3);
    assertThat(reserved("product_2")).isEqualTo(1);
  }

  @Test
  void releaseTwiceReleasesOnce() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"), line("product_2", 1, "120.00"));
    inventory.reserve(order, 1);
    inventory.release(order.orderId(), 1);
    inventory.release(order.orderId(), 2);
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(available("product_2")).isEqualTo(50);
    assertThat(reserved("product_1")).isZero();
    assertThat(reserved("product_2")).isZero();
  }

  @Test
  void chargeTwiceChargesOnce() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 2, "50.00")));
    assertThat(payments.charge(order.orderId(), 1).amount()).isEqualByComparingTo("100.00");
    PaymentService.Charge repeat = payments.charge(order.orderId(), 2);
    assertThat(repeat.amount()).isEqualByComparingTo("100.00");
    assertThat(repeat.attempt()).isEqualTo(1);
    assertThat(balance("user_1")).isEqualByComparingTo("900.00");
    assertThat(count("SELECT count(*) FROM payments")).isEqualTo(1);
    assertThat(status(order.orderId())).isEqualTo("PAID");
  }

  @Test
  void refundTwiceRefundsOnce() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 2, "50.00")));
    payments.charge(order.orderId(), 1);
    payments.refund(order.orderId(), 1);
    payments.refund(order.orderId(), 2);
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(count("SELECT count(*) FROM payments WHERE status = 'REFUNDED'")).isEqualTo(1);
  }

  @Test
  void bookTwiceBooksOneShipment() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    ShippingService.Booking first = shipping.book(order.orderId(), 1, null);
    ShippingService.Booking second = shipping.book(order.orderId(), 2, null);
    assertThat(second.trackingNumber()).isEqualTo(first.trackingNumber());
    assertThat(count("SELECT count(*) FROM shipments")).isEqualTo(1);
    assertThat(status(order.orderId())).isEqualTo("SHIPPED");
  }

  @Test
  void aTrackedBookingKeepsItsDeadlineAndOnlyABookedOneOverdueIsForTheSweep() {
    OrderRequest overdue = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    OrderRequest inTime = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    OrderRequest untracked = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    OrderRequest dispatched = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    shipping.book(overdue.orderId(), 1, java.time.Duration.ofMillis(-1500));
    shipping.book(inTime.orderId(), 1, java.time.Duration.ofDays(14));
    shipping.book(untracked.orderId(), 1, null);
    String moved = shipping.book(dispatched.orderId(), 1, java.time.Duration.ofSeconds(-60)).trackingNumber();
    shipping.recordEvent(moved, "evt-1", "DISPATCHED", java.time.OffsetDateTime.now(), "DISPATCHED");

    assertThat(shipping.bookedPastDeadline(10)).extracting(s -> s.orderId()).containsExactly(overdue.orderId());
    var kept = shipping.findShipment(inTime.orderId()).orElseThrow().deliveryDeadline();
    assertThat(kept).isBetween(java.time.OffsetDateTime.now().plusDays(14).minusMinutes(1),
        java.time.OffsetDateTime.now().plusDays(14).plusMinutes(1));
    assertThat(shipping.findShipment(untracked.orderId()).orElseThrow().deliveryDeadline()).isNull();
  }

  @Test
  void cancelShipmentTwiceCancelsOnce() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    shipping.book(order.orderId(), 1, null);
    shipping.cancel(order.orderId(), 1);
    shipping.cancel(order.orderId(), 2);
    assertThat(count("SELECT count(*) FROM shipments WHERE status = 'CANCELLED'")).isEqualTo(1);
    assertThat(jdbc.sql("SELECT took_effect FROM order_steps WHERE step = 'cancelShipment'").query(Boolean.class).single())
        .isTrue();
  }

  @Test
  void confirmTwiceSellsAndAwardsPointsOnce() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"), line("product_2", 1, "120.00"));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    shipping.book(order.orderId(), 1, null);
    OrderService.Confirmation first = orderService.confirm(order.orderId(), 1);
    OrderService.Confirmation second = orderService.confirm(order.orderId(), 2);

    assertThat(first.loyaltyPointsAwarded()).isEqualTo(220);
    assertThat(second).isEqualTo(first);
    assertThat(sold("product_1")).isEqualTo(2);
    assertThat(sold("product_2")).isEqualTo(1);
    assertThat(reserved("product_1")).isZero();
    assertThat(available("product_1")).isEqualTo(98);
    assertThat(loyaltyPoints("user_1")).isEqualTo(220);
    assertThat(balance("user_1")).isEqualByComparingTo(new BigDecimal("780.00"));
    assertThat(status(order.orderId())).isEqualTo("COMPLETED");
  }

  @Test
  void markingTheOutcomeRecordsTheOrderEvenIfNoStepCouldAndIsRepeatable() {
    OrderRequest order = order("user_2", "US", line("product_3", 1, "300.00"));
    OrderFailure failure = new OrderFailure("reserveInventory", "STEP_TIMED_OUT", "kept failing", 0);
    orderService.markCompensating(order, failure);
    orderService.markCompensating(order, failure);
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED, failure);
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED, failure);
    assertThat(status(order.orderId())).isEqualTo("FAILED");
    assertThat(count("SELECT count(*) FROM order_items")).isEqualTo(1);
  }
}
