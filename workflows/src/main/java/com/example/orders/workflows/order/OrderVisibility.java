package com.example.orders.workflows.order;

import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** The order's search attributes, written by its workflow only when they change. */
final class OrderVisibility {

  /** The OrderStatus search attribute as last written (by the api at start, or by the workflow). */
  private OrderStatus published = OrderStatus.PENDING;

  /** The api sets these at start; an order started another way (Web UI, CLI) gets them here. */
  void publishWhatTheApiDidNotSet(OrderRequest order) {
    SearchAttributes atStart = Workflow.getTypedSearchAttributes();
    List<SearchAttributeUpdate<?>> missing = new ArrayList<>();
    if (!atStart.containsKey(OrderContract.CUSTOMER_ID)) {
      missing.add(OrderContract.CUSTOMER_ID.valueSet(order.customerId()));
    }
    if (!atStart.containsKey(OrderContract.ORDER_TOTAL)) {
      missing.add(OrderContract.ORDER_TOTAL.valueSet(order.total().doubleValue()));
    }
    if (!atStart.containsKey(OrderContract.ORDER_STATUS)) {
      missing.add(OrderContract.ORDER_STATUS.valueSet(OrderStatus.PENDING.name()));
    }
    if (!missing.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(missing.toArray(SearchAttributeUpdate[]::new));
    }
  }

  void publish(OrderStatus status) {
    if (status != published) {
      Workflow.upsertTypedSearchAttributes(OrderContract.ORDER_STATUS.valueSet(status.name()));
      published = status;
    }
  }
}
