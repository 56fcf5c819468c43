package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.ReviewDecision;
import com.example.orders.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * POST /orders/{id}/review. As with a cancel, the decision is the workflow's: its {@code review}
 * update accepts only a first decision on an order that waits for one, atomically with respect to the
 * review deadline and a cancel, so two operators deciding at once get one 200 and one 409.
 */
@Service
public class OrderReviewing {

  private final WorkflowClient client;
  private final OrderRepository orders;
  private final AuditLog audit;
  private final MeterRegistry metrics;

  public OrderReviewing(WorkflowClient client, OrderRepository orders, AuditLog audit, MeterRegistry metrics) {
    this.client = client;
    this.orders = orders;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** Decides on the order; returns the recorded review, or 409 if the order does not wait for one. */
  public OrderReview decide(String orderId, String decision, String note, Caller caller) {
    OrderRecord order = orders.find(orderId).orElseThrow(() -> ApiException.notFound("Order " + orderId));
    if (order.status().isTerminal() || order.status() == OrderStatus.COMPENSATING) {
      throw notAwaitingReview("Order is " + order.status());
    }
    try {
      OrderReview review = client.newWorkflowStub(OrderWorkflow.class, OrderContract.workflowId(orderId))
          .review(new ReviewDecision(decision, note, caller.subject()));
      // the note is optional; the audit's detail is not (a null there failed the request after the decision took effect)
      audit.record(caller.subject(), "REVIEW_" + review.outcome(), AuditLog.order(orderId), note == null ? "" : note);
      metrics.counter("orders.reviews", "outcome", review.outcome().toLowerCase(java.util.Locale.ROOT)).increment();
      return review;
    } catch (WorkflowUpdateException rejected) {
      throw notAwaitingReview(UpdateRefusals.detail(rejected, "Order is not awaiting review"));
    } catch (WorkflowNotFoundException closed) {
      throw notAwaitingReview("Order is already " + orders.find(orderId).map(OrderRecord::status).orElse(order.status()));
    }
  }

  private static ApiException notAwaitingReview(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "order-not-awaiting-review", "Order is not awaiting review", detail);
  }
}
