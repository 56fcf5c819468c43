package com.example.orders.workflows.order.replay;

import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.order.CancelAcceptance;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderProgress;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderResult;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.ReviewDecision;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.payment.PaymentActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * A deliberately broken OrderWorkflow for ReplayDetectsNonDeterminismTest: it starts like the real
 * one (same search attribute upserts) and then swaps the first two steps, charging before it
 * reserves. Only the beginning matters: replay must stop at the first activity.
 */
public class ChargeBeforeReserveWorkflow implements OrderWorkflow {

  private final ActivityOptions options =
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build();

  @Override
  public OrderResult process(OrderRequest order) {
    Workflow.upsertTypedSearchAttributes(
        OrderContract.CUSTOMER_ID.valueSet(order.customerId()),
        OrderContract.ORDER_TOTAL.valueSet(order.total().doubleValue()));
    Workflow.upsertTypedSearchAttributes(OrderContract.ORDER_STATUS.valueSet(OrderStatus.PENDING.name()));
    Workflow.newActivityStub(PaymentActivities.class, options).chargePayment(order.orderId());
    Workflow.newActivityStub(InventoryActivities.class, options).reserveInventory(order);
    return new OrderResult(order.orderId(), OrderStatus.COMPLETED, null);
  }

  @Override
  public OrderProgress progress() {
    return new OrderProgress(null, OrderStatus.PENDING, List.of(), null);
  }

  @Override
  public CancelAcceptance cancel(String reason) {
    return new CancelAcceptance(null, OrderStatus.PENDING);
  }

  @Override
  public void validateCancel(String reason) {}

  @Override
  public OrderReview review(ReviewDecision decision) {
    return null;
  }

  @Override
  public void validateReview(ReviewDecision decision) {}
}
