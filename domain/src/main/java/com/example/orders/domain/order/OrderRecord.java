package com.example.orders.domain.order;

import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.workflows.order.ShippingAddress;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

/** An order row as stored. */
public record OrderRecord(
    String orderId,
    String customerId,
    OrderStatus status,
    BigDecimal total,
    String currency,
    ShippingAddress shippingAddress,
    String requestHash,
    String idempotencyKey,
    OrderFailure failure,
    Long loyaltyPointsAwarded,
    String submittedBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  private static final Set<OrderStatus> UNDOING =
      EnumSet.of(OrderStatus.COMPENSATING, OrderStatus.FAILED, OrderStatus.CANCELLED);

  /** markCompensating has recorded why the order is undone: it is COMPENSATING, FAILED or CANCELLED. */
  public boolean undoBegun() {
    return UNDOING.contains(status);
  }

  /**
   * Refuses {@code step} as the recorded failure did once the order's undo has begun; a step before
   * the one that failed passes. A lost workflow task runs its steps again, and they must take the path
   * the order already took: a refusal rolled back and left no step record, so without this a charge
   * refused for want of funds could go through on its second run, after the undo.
   */
  public void refuseIfUndone(SagaStep step) {
    if (!undoBegun()) {
      return;
    }
    String failedStep = failure == null ? null : failure.step();
    boolean aLaterStepFailed = SagaStep.IN_ORDER.subList(step.ordinal() + 1, SagaStep.IN_ORDER.size()).stream()
        .anyMatch(later -> later.activityName().equals(failedStep));
    if (!aLaterStepFailed) {
      throw failure == null // only a row edited by hand: markCompensating always records why
          ? new BusinessRuleViolation("STEP_FAILED", "Order " + orderId + " is already " + status)
          : new BusinessRuleViolation(failure.reason(), failure.message());
    }
  }
}
