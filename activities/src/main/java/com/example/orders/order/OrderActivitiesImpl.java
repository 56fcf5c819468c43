package com.example.orders.order;

import org.springframework.stereotype.Component;

@Component
public class OrderActivitiesImpl implements OrderActivities {

  private final OrderService orders;
  private final ActivityAttempt attempts;

  public OrderActivitiesImpl(OrderService orders, ActivityAttempt attempts) {
    this.orders = orders;
    this.attempts = attempts;
  }

  @Override
  public ConfirmationReceipt confirmOrder(String orderId) {
    return attempts.run(orderId, attempt -> {
      OrderService.Confirmation confirmation = orders.confirm(orderId, attempt);
      return new ConfirmationReceipt(confirmation.loyaltyPointsAwarded(), confirmation.attempt());
    });
  }

  @Override
  public void markCompensating(OrderRequest order, OrderFailure failure) {
    attempts.runVoid(order.orderId(), attempt -> orders.markCompensating(order, failure));
  }

  @Override
  public void markCompensated(String orderId, OrderStatus finalStatus, OrderFailure failure) {
    attempts.runVoid(orderId, attempt -> orders.markCompensated(orderId, finalStatus, failure));
  }
}
