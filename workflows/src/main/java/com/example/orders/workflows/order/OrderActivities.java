package com.example.orders.workflows.order;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface OrderActivities {

  /**
   * The pivot: moves the reservation to sold, marks the order COMPLETED and awards loyalty points
   * (in a savepoint, so a points failure never fails the order). Idempotency key: (orderId,
   * confirmOrder).
   */
  @ActivityMethod(name = "confirmOrder")
  ConfirmationReceipt confirmOrder(String orderId);

  /**
   * Records that compensation started and why, and the order row itself if no step could. Repeats
   * overwrite with the same values.
   */
  @ActivityMethod(name = "markCompensating")
  void markCompensating(OrderRequest order, OrderFailure failure);

  /** Records that the order waits for an operator's review until {@code deadline} (ISO-8601). Repeatable. */
  @ActivityMethod(name = "markAwaitingReview")
  void markAwaitingReview(String orderId, String deadline);

  /** Records how the review ended (who, when, the note); an approved order goes back to RESERVED. Repeatable. */
  @ActivityMethod(name = "recordReview")
  void recordReview(String orderId, OrderReview review);

  /** Records the terminal status (FAILED or CANCELLED) after all compensations succeeded. */
  @ActivityMethod(name = "markCompensated")
  void markCompensated(String orderId, OrderStatus finalStatus, OrderFailure failure);
}
