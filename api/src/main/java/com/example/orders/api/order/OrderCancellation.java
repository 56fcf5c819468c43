package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * POST /orders/{id}/cancel. The decision is the workflow's: its {@code cancel} update is accepted
 * or rejected atomically with respect to the pivot, so a 202 here always ends CANCELLED and a
 * confirmed order always gets 409. The workflow is then cancelled too, so that the run shows as
 * Canceled in the Web UI, as if an operator had pressed Cancel there.
 */
@Service
public class OrderCancellation {

  private final WorkflowClient client;
  private final OrderRepository orders;
  private final AuditLog audit;
  private final MeterRegistry metrics;

  public OrderCancellation(WorkflowClient client, OrderRepository orders, AuditLog audit, MeterRegistry metrics) {
    this.client = client;
    this.orders = orders;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** @return true if a cancel is now under way; false if the order was already CANCELLED */
  public boolean cancel(String orderId, String reason, Caller caller) {
    // another customer's order is 404, like one that does not exist
    OrderRecord order = orders.find(orderId).filter(o -> caller.actsFor(o.customerId()))
        .orElseThrow(() -> ApiException.notFound("Order " + orderId));
    String requestedBy = caller.subject();
    if (order.status() == OrderStatus.CANCELLED) {
      return false;
    }
    if (order.status().isTerminal()) {
      throw notCancellable("Order is already " + order.status());
    }
    String workflowId = OrderContract.workflowId(orderId);
    try {
      client.newWorkflowStub(OrderWorkflow.class, workflowId).cancel(reason);
    } catch (WorkflowUpdateException rejected) {
      // The update handler never throws, so any update failure is the validator's refusal.
      String detail = UpdateRefusals.detail(rejected, "Order can no longer be cancelled");
      audit.record(requestedBy, "CANCEL_REFUSED", AuditLog.order(orderId), detail);
      metrics.counter("orders.cancel.requests", "outcome", "refused").increment();
      throw notCancellable(detail);
    } catch (WorkflowNotFoundException closed) {
      // finished between our read and the update
      OrderStatus now = orders.find(orderId).map(OrderRecord::status).orElse(order.status());
      if (now == OrderStatus.CANCELLED) {
        return false;
      }
      throw notCancellable("Order is already " + now);
    }
    audit.record(requestedBy, "CANCEL_ACCEPTED", AuditLog.order(orderId), reason);
    metrics.counter("orders.cancel.requests", "outcome", "accepted").increment();
    try {
      WorkflowStub.fromTyped(client.newWorkflowStub(OrderWorkflow.class, workflowId)).cancel(reason);
    } catch (WorkflowNotFoundException alreadyClosed) {
      // the undo finished first; the order is CANCELLED either way
    }
    return true;
  }

  private static ApiException notCancellable(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "order-not-cancellable", "Order cannot be cancelled", detail);
  }
}
