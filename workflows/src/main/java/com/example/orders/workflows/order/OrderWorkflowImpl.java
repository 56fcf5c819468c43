package com.example.orders.workflows.order;

import static com.example.orders.workflows.order.SagaFailures.isBusinessRefusal;
import static com.example.orders.workflows.order.SagaFailures.isCancellation;

import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.payment.PaymentActivities;
import com.example.orders.workflows.shipping.ShipmentReceipt;
import com.example.orders.workflows.shipping.ShippingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.VersioningBehavior;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The order saga. PINNED: an order runs to its end on the build it started on, so this code states
 * today's behaviour only and a change ships as a new build (docs/changing-workflows.md).
 */
public class OrderWorkflowImpl implements OrderWorkflow {

  private final Map<SagaStep, StepState> steps = new EnumMap<>(SagaStep.class);
  private OrderRequest order;
  private OrderStatus status = OrderStatus.PENDING;
  private final OrderVisibility visibility = new OrderVisibility();
  private OrderFailure failure;
  private SagaStep currentStep;
  private boolean pivotStarted;
  private boolean cancelRequested;
  private String cancelReason;
  private CancellationScope undoableSteps;
  private String trackingNumber;
  private final ReviewWait reviewWait = new ReviewWait();

  public OrderWorkflowImpl() {
    for (SagaStep step : SagaStep.IN_ORDER) {
      setStep(step, StepStatus.PENDING, 0);
    }
  }

  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
  public OrderResult process(OrderRequest order) {
    this.order = order;
    CancellationScope workflowScope = CancellationScope.current();
    visibility.publishWhatTheApiDidNotSet(order);
    Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).build());
    try {
      undoableSteps = Workflow.newCancellationScope(() -> runUndoableSteps(saga));
      if (cancelRequested) {
        undoableSteps.cancel(cancelReason);
      }
      undoableSteps.run();
      // A cancel accepted after the last undoable step finished but before this point still wins.
      if (cancelRequested || workflowScope.isCancelRequested()) {
        throw new CanceledFailure(cancelReason != null ? cancelReason : "workflow cancelled");
      }
    } catch (TemporalFailure stepFailure) {
      return undo(saga, stepFailure, workflowScope);
    }
    // The pivot. The flag is set in the same workflow task as confirmOrder is scheduled and as the
    // cancel validator reads it, so a cancel is either refused from here on or has already won above.
    pivotStarted = true;
    // Detached: a workflow cancel arriving now must not interrupt the pivot.
    ConfirmationReceipt[] confirmed = new ConfirmationReceipt[1];
    Workflow.newDetachedCancellationScope(() -> confirmed[0] = step(SagaStep.CONFIRM_ORDER, "confirm order",
        OrderActivities.class, a -> a.confirmOrder(order.orderId()))).run();
    changeStatus(OrderStatus.COMPLETED);
    Workflow.setCurrentDetails("Completed; " + confirmed[0].loyaltyPointsAwarded() + " loyalty points awarded.");
    return new OrderResult(order.orderId(), OrderStatus.COMPLETED, trackingNumber);
  }

  /** Each compensation is registered before its action: the action may take effect and still time out. */
  private void runUndoableSteps(Saga saga) {
    String id = order.orderId();
    String lines = order.describeLines();
    String amount = order.total().toPlainString() + " " + order.currency() + " to " + order.customerId();
    String country = order.shippingAddress().country();

    compensateWith(saga, SagaStep.RESERVE_INVENTORY, "release " + lines, InventoryActivities.class, a -> a.releaseInventory(id));
    step(SagaStep.RESERVE_INVENTORY, "reserve " + lines, InventoryActivities.class, a -> a.reserveInventory(order));
    changeStatus(OrderStatus.RESERVED);

    if (order.needsReview()) {
      awaitReview();
    }

    compensateWith(saga, SagaStep.CHARGE_PAYMENT, "refund " + amount, PaymentActivities.class, a -> a.refundPayment(id));
    step(SagaStep.CHARGE_PAYMENT, "charge " + amount, PaymentActivities.class, a -> a.chargePayment(id));
    changeStatus(OrderStatus.PAID);

    // A tracked order (deliveryWithin set) books with its delivery deadline; the carrier's first event starts the tracking.
    compensateWith(saga, SagaStep.CREATE_SHIPMENT, "cancel shipment to " + country, ShippingActivities.class, a -> a.cancelShipment(id));
    ShipmentReceipt shipment = step(SagaStep.CREATE_SHIPMENT, "book shipment to " + country, ShippingActivities.class,
        a -> a.createShipment(id, order.deliveryWithin()));
    trackingNumber = shipment.trackingNumber();
    changeStatus(OrderStatus.SHIPPED);
  }

  /** Holds the order, stock reserved and no money taken, until an operator decides or the deadline passes. */
  private void awaitReview() {
    currentStep = null; // a review's failure belongs to no step
    changeStatus(OrderStatus.AWAITING_REVIEW);
    switch (reviewWait.await(order).outcome()) {
      case OrderReview.APPROVED -> changeStatus(OrderStatus.RESERVED);
      // Customers read failure messages, which are not encrypted: who rejected it and why stay in the review's record.
      case OrderReview.REJECTED -> throw ApplicationFailure.newNonRetryableFailure(
          "Rejected in review", OrderFailureReason.REVIEW_REJECTED);
      default -> throw ApplicationFailure.newNonRetryableFailure(
          "No review decision within " + order.reviewWithin(), OrderFailureReason.REVIEW_EXPIRED);
    }
  }

  /** Compensates in reverse, records the outcome, then ends the run as failed or cancelled. */
  private OrderResult undo(Saga saga, TemporalFailure cause, CancellationScope workflowScope) {
    boolean cancelled = cancelRequested || isCancellation(cause);
    failure = cancelled
        ? new OrderFailure(null, OrderFailureReason.CANCELLED, cancelReason != null ? cancelReason : "Order cancelled", 0)
        : SagaFailures.describe(cause, currentStep == null ? null : currentStep.activityName());
    OrderStatus finalStatus = cancelled ? OrderStatus.CANCELLED : OrderStatus.FAILED;
    changeStatus(OrderStatus.COMPENSATING);
    // Detached, so that a workflow cancel (API or Web UI) cannot stop the undo itself.
    Workflow.newDetachedCancellationScope(() -> {
      undoStep("record compensation: " + failure.reason(), OrderActivities.class, a -> a.markCompensating(order, failure));
      saga.compensate();
      undoStep("record " + finalStatus, OrderActivities.class, a -> a.markCompensated(order.orderId(), finalStatus, failure));
    }).run();
    for (SagaStep step : SagaStep.IN_ORDER) {
      if (steps.get(step).status() == StepStatus.PENDING) {
        setStep(step, StepStatus.SKIPPED, 0);
      }
    }
    changeStatus(finalStatus);
    // One line per undone order instead of the SDK's warning with a stack trace (the workers log that at ERROR only).
    Workflow.getLogger(OrderWorkflowImpl.class).info("Order {} {}: {}{} ({}); every completed step undone",
        order.orderId(), finalStatus, failure.reason(), failure.step() == null ? "" : " at " + failure.step(),
        failure.message());
    if (!cancelled) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(failure.message(), failure.reason(), cause);
    }
    if (!workflowScope.isCancelRequested()) {
      // Cancelled through the update: wait briefly for the caller's workflow cancel so the run ends
      // Canceled; if that never comes (the caller died), complete with the CANCELLED result.
      Workflow.await(StepOptions.WORKFLOW_CANCEL_GRACE, workflowScope::isCancelRequested);
    }
    if (workflowScope.isCancelRequested()) {
      throw new CanceledFailure(failure.message());
    }
    return new OrderResult(order.orderId(), OrderStatus.CANCELLED, null);
  }

  /** A forward step: local tries first; a business refusal or a cancel ends it (see localFirst). */
  private <A, R extends StepReceipt> R step(SagaStep step, String summary, Class<A> activities, Functions.Func1<A, R> call) {
    currentStep = step;
    setStep(step, StepStatus.RUNNING, 0);
    Workflow.setCurrentDetails("Running " + step.activityName() + " (status " + status + ")");
    try {
      // A local activity neither starts failed in a cancelled scope nor can be cancelled: stop here.
      if (CancellationScope.current().isCancelRequested()) {
        throw new CanceledFailure("cancelled before: " + summary);
      }
      ActivityOptions options = step == SagaStep.CONFIRM_ORDER ? StepOptions.MUST_SUCCEED : StepOptions.UNDOABLE;
      R receipt = localFirst(activities, summary, options, true, call);
      setStep(step, StepStatus.COMPLETED, receipt.attempt());
      return receipt;
    } catch (TemporalFailure e) {
      if (!isCancellation(e)) {
        setStep(step, StepStatus.FAILED, SagaFailures.failedAttempt(e));
      }
      throw e;
    }
  }

  /**
   * Registers a step's undo. Every failed step is undone too: refused, an earlier attempt may still
   * commit (the undo's record fences it off); out of time, its last attempt may have taken effect.
   */
  private <A> void compensateWith(Saga saga, SagaStep step, String summary, Class<A> activities, Functions.Proc1<A> undo) {
    saga.addCompensation(() -> {
      StepState before = steps.get(step);
      boolean tookEffect = before.status() != StepStatus.FAILED; // a failed step keeps showing FAILED
      if (tookEffect) {
        setStep(step, StepStatus.COMPENSATING, before.attempts());
      }
      undoStep(summary, activities, undo);
      if (tookEffect) {
        setStep(step, StepStatus.COMPENSATED, before.attempts());
      }
    });
  }

  /** A compensation or a record of the undo: local tries first, then retried as an activity without limit. */
  private <A> void undoStep(String summary, Class<A> activities, Functions.Proc1<A> call) {
    localFirst(activities, summary, StepOptions.MUST_SUCCEED, false, a -> {
      call.apply(a);
      return null;
    });
  }

  /**
   * Runs {@code call} as a local activity within this workflow task (LOCAL_FIRST_TRIES). What still
   * fails is handed to a regular activity with {@code options}, where an operator sees it pending,
   * after publishing where the order stands; a forward step's business refusal or cancel ends it instead.
   * A local attempt that timed out may still commit: the step's record fences it, as for any retry.
   */
  private <A, R> R localFirst(Class<A> activities, String summary, ActivityOptions options, boolean forward,
      Functions.Func1<A, R> call) {
    try {
      return call.apply(Workflow.newLocalActivityStub(activities,
          LocalActivityOptions.newBuilder(StepOptions.LOCAL_FIRST_TRIES).setSummary(summary).build()));
    } catch (ActivityFailure local) {
      if (forward && (isBusinessRefusal(local) || isCancellation(local))) {
        throw local;
      }
      String cause = SagaFailures.rootMessage(local);
      visibility.publish(status);
      Workflow.setCurrentDetails("Retrying " + summary + " as an activity: it failed within the local budget ("
          + cause + "). Its attempts and last failure are under Pending Activities.");
      return call.apply(stub(activities, options, summary + " (retried after: " + cause + ")"));
    }
  }

  @Override
  public OrderProgress progress() {
    List<StepState> snapshot = new ArrayList<>();
    for (SagaStep step : SagaStep.IN_ORDER) {
      snapshot.add(steps.get(step));
    }
    return new OrderProgress(order == null ? null : order.orderId(), status, snapshot, failure);
  }

  @Override
  public void validateCancel(String reason) {
    if (cancelRequested) {
      return; // cancelling twice is fine
    }
    if (pivotStarted || status.isTerminal() || status == OrderStatus.COMPENSATING) {
      throw ApplicationFailure.newNonRetryableFailure("Order can no longer be cancelled: it is " + status
          + (pivotStarted ? " and confirmOrder has started" : ""), OrderFailureReason.NOT_CANCELLABLE);
    }
    if (reviewWait.decisionBeingRecorded()) {
      // accepted while the order was being marked for review: the decision is recorded first
      throw ApplicationFailure.newNonRetryableFailure("Order cannot be cancelled right now: an operator's review "
          + "decision is being recorded; try again once the order shows the decision", OrderFailureReason.NOT_CANCELLABLE);
    }
  }

  @Override
  public CancelAcceptance cancel(String reason) {
    if (!cancelRequested) {
      cancelRequested = true;
      cancelReason = reason == null || reason.isBlank() ? "Order cancelled" : reason;
      if (undoableSteps != null) {
        undoableSteps.cancel(cancelReason);
      }
    }
    return new CancelAcceptance(order == null ? null : order.orderId(), status);
  }

  @Override
  public void validateReview(ReviewDecision decision) {
    reviewWait.validate(decision, status, cancelRequested);
  }

  @Override
  public OrderReview review(ReviewDecision decision) {
    return reviewWait.decide(decision, () -> status);
  }

  /**
   * Visibility gets the status only where the order rests (a review, the end, a step handed to a
   * regular activity): a status that flows on within the same workflow task would be overwritten unseen.
   */
  private void changeStatus(OrderStatus newStatus) {
    status = newStatus;
    if (newStatus.isTerminal() || newStatus == OrderStatus.AWAITING_REVIEW) {
      visibility.publish(status);
    }
  }

  private void setStep(SagaStep step, StepStatus stepStatus, int attempts) {
    steps.put(step, new StepState(step.activityName(), stepStatus, attempts));
  }

  /** One stub per call so each activity carries a human-readable summary in the event history. */
  private static <T> T stub(Class<T> activities, ActivityOptions options, String summary) {
    return Workflow.newActivityStub(activities, ActivityOptions.newBuilder(options).setSummary(summary).build());
  }
}
