package com.example.orders.order;

import org.springframework.stereotype.Component;

@Component
public class OrderActivitiesImpl implements OrderActivities {

  private final OrderService orders;

  public OrderActivitiesImpl(OrderService orders) {
    this.orders = orders;
  }

  @Override
  public ConfirmationReceipt confirmOrder(String orderId) {
    return ActivityAttempt.run(attempt -> {
      OrderService.Confirmation confirmation = orders.confirm(orderId, attempt);
      return new ConfirmationReceipt(confirmation.loyaltyPointsAwarded(), confirmation.attempt());
    });
  }

  @Override
  public void markCompensating(OrderRequest order, OrderFailure failure) {
    ActivityAttempt.runVoid(attempt -> orders.markCompensating(order, failure));
  }

  @Override
  public void markAwaitingReview(String orderId, String deadline) {
    ActivityAttempt.runVoid(attempt -> orders.markAwaitingReview(orderId, deadline));
  }

  @Override
  public void recordReview(String orderId, OrderReview review) {
    ActivityAttempt.runVoid(attempt -> orders.recordReview(orderId, review));
  }

  @Override
  public void markCompensated(String orderId, OrderStatus finalStatus, OrderFailure failure) {
    ActivityAttempt.runVoid(attempt -> orders.markCompensated(orderId, finalStatus, failure));
  }
}
