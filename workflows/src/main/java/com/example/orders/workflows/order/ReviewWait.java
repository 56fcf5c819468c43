package com.example.orders.workflows.order;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * An operator's review of a large order, as the order workflow holds it: waiting for the decision
 * or the deadline (a durable timer), the decision the update brought, and the outcome once recorded.
 */
final class ReviewWait {

  /** True only while the order waits for a decision: the review validator's condition. */
  private boolean waiting;
  private ReviewDecision decision;
  private String decidedAt;
  private OrderReview outcome;

  /**
   * Waits until an operator decides or the deadline passes, then records the outcome. A cancel
   * meanwhile interrupts the wait like any step.
   */
  OrderReview await(OrderRequest order) {
    Instant deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(order.reviewWithin());
    waiting = true; // from the moment the status says so: a decision sent meanwhile is kept
    try {
      activities("await review until " + deadline).markAwaitingReview(order.orderId(), deadline.toString());
      Workflow.setCurrentDetails("Awaiting an operator's review (total " + order.total().toPlainString() + " "
          + order.currency() + ") until " + deadline + "; POST /orders/" + order.orderId() + "/review decides.");
      Duration left = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), deadline);
      Promise<Void> timer = Workflow.newTimer(left.isNegative() ? Duration.ZERO : left,
          TimerOptions.newBuilder().setSummary("review deadline " + deadline).build());
      Workflow.await(() -> decision != null || timer.isCompleted());
    } finally {
      waiting = false;
    }
    // From the state, not await's result: a decision accepted in the task where the timer fired still counts.
    OrderReview decided = decision == null
        ? new OrderReview(OrderReview.EXPIRED, null, null, deadline.toString())
        : new OrderReview(ReviewDecision.APPROVE.equals(decision.decision()) ? OrderReview.APPROVED : OrderReview.REJECTED,
            decision.note(), decision.decidedBy(), decidedAt);
    // Detached: a cancel accepted meanwhile must not lose a decision already taken (it takes effect after).
    Workflow.newDetachedCancellationScope(
        () -> activities("record review: " + decided.outcome()).recordReview(order.orderId(), decided)).run();
    outcome = decided;
    return decided;
  }

  /** Accepts only a first APPROVE or REJECT on an order that is waiting for one. */
  void validate(ReviewDecision proposed, OrderStatus status, boolean cancelRequested) {
    if (!waiting || decision != null || cancelRequested) {
      throw ApplicationFailure.newNonRetryableFailure("Order is not awaiting review: it is " + status
          + (decision != null ? ", decided already" : "") + (cancelRequested ? ", being cancelled" : ""),
          OrderFailureReason.NOT_AWAITING_REVIEW);
    }
    if (proposed == null || !(ReviewDecision.APPROVE.equals(proposed.decision())
        || ReviewDecision.REJECT.equals(proposed.decision()))) {
      throw ApplicationFailure.newNonRetryableFailure("A decision is APPROVE or REJECT", OrderFailureReason.NOT_AWAITING_REVIEW);
    }
  }

  /** The update: answered once the outcome is recorded, never left waiting by an order that ended. */
  OrderReview decide(ReviewDecision accepted, Supplier<OrderStatus> status) {
    decision = accepted;
    decidedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    Workflow.await(() -> outcome != null || status.get().isTerminal());
    if (outcome == null) {
      throw ApplicationFailure.newNonRetryableFailure("The order ended before the decision was recorded: it is "
          + status.get(), OrderFailureReason.NOT_AWAITING_REVIEW);
    }
    return outcome;
  }

  /** A decision accepted but not recorded yet: a cancel must wait for it. */
  boolean decisionBeingRecorded() {
    return decision != null && outcome == null;
  }

  private static OrderActivities activities(String summary) {
    return Workflow.newActivityStub(OrderActivities.class,
        ActivityOptions.newBuilder(StepOptions.MUST_SUCCEED).setSummary(summary).build());
  }
}
