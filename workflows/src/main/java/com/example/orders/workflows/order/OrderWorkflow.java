package com.example.orders.workflows.order;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One durable workflow per order (id {@code order-<orderId>}, task queue {@code orders}). Runs
 * reserveInventory, chargePayment, createShipment, confirmOrder; undoes the first three in reverse
 * when a step fails for a business reason or the order is cancelled before confirmOrder starts.
 */
@WorkflowInterface
public interface OrderWorkflow {

  /**
   * Completes with the result of a confirmed order. An order undone after a business failure fails
   * the workflow with an ApplicationFailure whose type is the reason (OUT_OF_STOCK, ...); a
   * cancelled one ends in Temporal's Canceled state.
   */
  @WorkflowMethod(name = OrderContract.WORKFLOW_TYPE)
  OrderResult process(OrderRequest order);

  /** Status, each step's state and attempts, and the failure, as the saga sees them now. */
  @QueryMethod
  OrderProgress progress();

  /**
   * Asks to cancel the order. Accepted until confirmOrder starts: everything done so far is then
   * undone. Accepting it twice is harmless. Callers then cancel the workflow itself so that it ends
   * in the Canceled state.
   */
  @UpdateMethod
  CancelAcceptance cancel(String reason);

  /** Rejects a cancel once the pivot has started or the order is being undone for a failure. */
  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel(String reason);

  /**
   * An operator's decision on an order AWAITING_REVIEW: APPROVE lets it go on to chargePayment,
   * REJECT undoes it (FAILED, REVIEW_REJECTED). Returns once the decision is recorded.
   */
  @UpdateMethod
  OrderReview review(ReviewDecision decision);

  /** Accepts only a first APPROVE or REJECT on an order that is waiting for one. */
  @UpdateValidatorMethod(updateName = "review")
  void validateReview(ReviewDecision decision);
}
