package com.example.orders.order;

import io.temporal.common.SearchAttributeKey;

/**
 * The names operators, scripts and other processes rely on: task queue, workflow ids and search
 * attributes. Change none of them without a migration plan for orders in flight.
 */
public final class OrderContract {
  public static final String NAMESPACE = "default";
  public static final String TASK_QUEUE = "orders";
  public static final String WORKFLOW_TYPE = "OrderWorkflow";
  public static final String WORKFLOW_ID_PREFIX = "order-";
  public static final String CURRENCY = "USD";

  public static final SearchAttributeKey<String> ORDER_STATUS =
      SearchAttributeKey.forKeyword("OrderStatus");
  public static final SearchAttributeKey<String> CUSTOMER_ID =
      SearchAttributeKey.forKeyword("CustomerId");
  public static final SearchAttributeKey<Double> ORDER_TOTAL =
      SearchAttributeKey.forDouble("OrderTotal");

  /** Memo key under which the API stores the hash of the request that started the workflow. */
  public static final String REQUEST_HASH_MEMO = "requestHash";

  public static String workflowId(String orderId) {
    return WORKFLOW_ID_PREFIX + orderId;
  }

  private OrderContract() {}
}
