package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import java.math.BigDecimal;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An order's steps run again after it was undone: the engine lost the workflow task that ran them
 * locally (a restart) and the task runs from its start. They must take the path the order took: the
 * failed step and every step after it refuse as it did, the steps before it pass, and the undo run
 * again changes and announces nothing.
 */
class UndoneOrderIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;
  @Autowired ShippingService shipping;
  @Autowired OrderRepository orders;

  @Test
  void aChargeRefusedForWantOfFundsIsRefusedAgainOnceTheFundsAreThere() {
    OrderRequest order = recorded(order("user_3", "US", line("product_1", 5, "50.00"))); // 250.00 of 200.00
    assertThat(inventory.reserve(order, 1)).isEqualTo(1);
    BusinessRuleViolation refused = catchThrowableOfType(BusinessRuleViolation.class,
        () -> payments.charge(order.orderId(), 1));
    OrderFailure failure = new OrderFailure("chargePayment", refused.reason(), refused.getMessage(), 1);
    undo(order, failure, OrderStatus.FAILED);
    payments.upsertCustomer("user_3", null, new BigDecimal("1000.00"), "test"); // other orders refunded meanwhile

    assertThat(inventory.reserve(order, 1)).as("a step before the failed one passes").isZero();
    assertRefusedAs(failure, () -> payments.charge(order.orderId(), 1));
    assertRefusedAs(failure, () -> shipping.book(order.orderId(), 1, null));
    assertRefusedAs(failure, () -> orderService.confirm(order.orderId(), 1));
    undo(order, failure, OrderStatus.FAILED);

    assertThat(balance("user_3")).isEqualByComparingTo("1000.00");
    assertThat(count("SELECT count(*) FROM payments")).isZero();
    assertThat(count("SELECT count(*) FROM shipments")).isZero();
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(reserved("product_1")).isZero();
    assertUndoneOnceAs(order, OrderStatus.FAILED, failure);
  }

  @Test
  void aReservationRefusedOutOfStockIsRefusedAgainOnceTheStockIsBack() {
    OrderRequest order = order("user_1", "US", line("product_3", 26, "300.00")); // 25 available
    BusinessRuleViolation refused = catchThrowableOfType(BusinessRuleViolation.class, () -> inventory.reserve(order, 1));
    assertThat(refused.reason()).isEqualTo(OrderFailureReason.OUT_OF_STOCK);
    OrderFailure failure = new OrderFailure("reserveInventory", refused.reason(), refused.getMessage(), 1);
    undo(order, failure, OrderStatus.FAILED);
    inventory.upsertProduct("product_3", null, null, 100, "test"); // restocked meanwhile

    assertRefusedAs(failure, () -> inventory.reserve(order, 1));
    assertRefusedAs(failure, () -> payments.charge(order.orderId(), 1));
    assertRefusedAs(failure, () -> shipping.book(order.orderId(), 1, null));
    undo(order, failure, OrderStatus.FAILED);

    assertThat(available("product_3")).isEqualTo(100);
    assertThat(reserved("product_3")).isZero();
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
    assertUndoneOnceAs(order, OrderStatus.FAILED, failure);
  }

  @Test
  void aShipmentRefusedLetsTheStepsBeforeItRepeatWhatTheyDidAndIsRefusedAgain() {
    OrderRequest order = recorded(order("user_1", "AQ", line("product_1", 1, "50.00")));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    BusinessRuleViolation refused = catchThrowableOfType(BusinessRuleViolation.class,
        () -> shipping.book(order.orderId(), 1, null));
    OrderFailure failure = new OrderFailure("createShipment", refused.reason(), refused.getMessage(), 1);
    undo(order, failure, OrderStatus.FAILED);

    assertThat(inventory.reserve(order, 1)).isZero();
    assertThat(payments.charge(order.orderId(), 1).attempt()).as("fenced by its refund").isZero();
    assertRefusedAs(failure, () -> shipping.book(order.orderId(), 1, null));
    assertRefusedAs(failure, () -> orderService.confirm(order.orderId(), 1));
    undo(order, failure, OrderStatus.FAILED);

    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(sold("product_1")).isZero();
    assertUndoneOnceAs(order, OrderStatus.FAILED, failure);
  }

  @Test
  void aCancelledOrderRefusesEveryStepWithItsCancel() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 2, "50.00")));
    inventory.reserve(order, 1);
    OrderFailure cancel = new OrderFailure(null, OrderFailureReason.CANCELLED, "Changed my mind", 0);
    undo(order, cancel, OrderStatus.CANCELLED);

    assertRefusedAs(cancel, () -> inventory.reserve(order, 1));
    assertRefusedAs(cancel, () -> payments.charge(order.orderId(), 1));
    assertRefusedAs(cancel, () -> shipping.book(order.orderId(), 1, null));
    assertRefusedAs(cancel, () -> orderService.confirm(order.orderId(), 1));

    assertThat(available("product_1")).isEqualTo(100);
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
    assertUndoneOnceAs(order, OrderStatus.CANCELLED, cancel);
  }

  @Test
  void anUndoRunAgainOnAnotherFailureKeepsTheFirstOutcome() {
    OrderRequest order = recorded(order("user_3", "US", line("product_1", 5, "50.00")));
    OrderFailure first = new OrderFailure("chargePayment", OrderFailureReason.INSUFFICIENT_FUNDS, "Balance low", 1);
    undo(order, first, OrderStatus.FAILED);

    orderService.markCompensating(order, new OrderFailure("reserveInventory", OrderFailureReason.STEP_TIMED_OUT, "slow", 0));
    assertThat(status(order.orderId())).as("a final order does not go back to COMPENSATING").isEqualTo("FAILED");
    orderService.markCompensated(order.orderId(), OrderStatus.CANCELLED,
        new OrderFailure(null, OrderFailureReason.CANCELLED, "Order cancelled", 0));

    assertUndoneOnceAs(order, OrderStatus.FAILED, first);
    assertThat(events(order, "OrderCancelled")).isZero();
  }

  @Test
  void theFailureRecordedWhenTheUndoBeganIsTheOneItEndsWith() {
    OrderRequest order = recorded(order("user_3", "US", line("product_1", 5, "50.00")));
    OrderFailure first = new OrderFailure("chargePayment", OrderFailureReason.INSUFFICIENT_FUNDS, "Balance low", 1);
    orderService.markCompensating(order, first);
    orderService.markCompensating(order, new OrderFailure("chargePayment", OrderFailureReason.STEP_TIMED_OUT, "slow", 0));
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED,
        new OrderFailure("chargePayment", OrderFailureReason.STEP_TIMED_OUT, "slow", 0));

    assertUndoneOnceAs(order, OrderStatus.FAILED, first);
  }

  @Test
  void anUndoBegunByACancelEndsCancelledEvenIfTheRunAgainSawARefusal() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    OrderFailure cancel = new OrderFailure(null, OrderFailureReason.CANCELLED, "Changed my mind", 0);
    orderService.markCompensating(order, cancel);
    // the run again never saw the cancel update: reserveInventory refused it with the recorded cancel
    orderService.markCompensated(order.orderId(), OrderStatus.FAILED,
        new OrderFailure("reserveInventory", OrderFailureReason.CANCELLED, "Changed my mind", 1));

    assertUndoneOnceAs(order, OrderStatus.CANCELLED, cancel);
    assertThat(events(order, "OrderFailed")).isZero();
  }

  /** What the workflow's undo does for an order refused at a step: both records, compensations in reverse. */
  private void undo(OrderRequest order, OrderFailure failure, OrderStatus finalStatus) {
    orderService.markCompensating(order, failure);
    shipping.cancel(order.orderId(), 1);
    payments.refund(order.orderId(), 1);
    inventory.release(order.orderId(), 1);
    orderService.markCompensated(order.orderId(), finalStatus, failure);
  }

  private static void assertRefusedAs(OrderFailure failure, ThrowingCallable step) {
    assertThatThrownBy(step).isInstanceOfSatisfying(BusinessRuleViolation.class, refusal -> {
      assertThat(refusal.reason()).isEqualTo(failure.reason());
      assertThat(refusal.getMessage()).isEqualTo(failure.message());
    });
  }

  private void assertUndoneOnceAs(OrderRequest order, OrderStatus status, OrderFailure failure) {
    OrderRecord row = orders.find(order.orderId()).orElseThrow();
    assertThat(row.status()).isEqualTo(status);
    assertThat(row.failure()).isEqualTo(failure);
    assertThat(events(order, status == OrderStatus.FAILED ? "OrderFailed" : "OrderCancelled")).isEqualTo(1);
  }

  private int events(OrderRequest order, String type) {
    return jdbc.sql("SELECT count(*) FROM outbox_events WHERE event_type = :type AND message_key = :orderId")
        .param("type", type).param("orderId", order.orderId()).query(Integer.class).single();
  }
}
