package com.example.orders.workflows.order;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.Map;

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

  /**
   * How an order's workflow is started (the api; the bench's ceiling, which must start the same
   * shape): its id, one run per order ever, the request hash, its search attributes from the start
   * (the workflow does not write them again) and the summary the Web UI lists.
   */
  public static WorkflowOptions startOptions(OrderRequest order) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(order.orderId()))
        .setTaskQueue(TASK_QUEUE)
        // one workflow per order id, ever: a repeat start is refused, never a second run
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setMemo(Map.of(REQUEST_HASH_MEMO, order.requestHash()))
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(ORDER_STATUS, OrderStatus.PENDING.name())
            .set(CUSTOMER_ID, order.customerId())
            .set(ORDER_TOTAL, order.total().doubleValue())
            .build())
        .setStaticSummary(order.describeLines() + " for " + order.customerId() + ", "
            + order.total().toPlainString() + " " + order.currency())
        .setStaticDetails("Ship to " + order.shippingAddress().city() + ", " + order.shippingAddress().country())
        .build();
  }

  private OrderContract() {}
}
