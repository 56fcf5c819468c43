package com.example.orders.activities.order;

import com.example.orders.domain.order.OrderService;
import com.example.orders.workflows.order.ConfirmationReceipt;
import com.example.orders.workflows.order.OrderActivities;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
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
