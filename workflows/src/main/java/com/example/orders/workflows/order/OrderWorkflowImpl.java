package com.example.orders.workflows.order;

import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.inventory.ReservationReceipt;
import com.example.orders.workflows.payment.PaymentActivities;
import com.example.orders.workflows.payment.PaymentReceipt;
import com.example.orders.workflows.shipping.ShipmentReceipt;
import com.example.orders.workflows.shipping.ShipmentTracking;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import com.example.orders.workflows.shipping.ShippingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import io.temporal.common.VersioningBehavior;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

public class OrderWorkflowImpl implements OrderWorkflow {

  /**
   * Every activity is one short transaction (lock_timeout 2 s), so 10 s is generous; it is also how
   * long an activity on a crashed worker waits before Temporal retries it elsewhere.
   */
  private static final Duration ACTIVITY_START_TO_CLOSE = Duration.ofSeconds(10);

  /**
   * Steps before the pivot. Business failures are non-retryable ApplicationFailures raised by the
   * activities; anything else (lost connection, lock timeout, deadlock) is retried with backoff
   * until the step's budget runs out, after which the order is undone as STEP_TIMED_OUT.
   */
  private final ActivityOptions undoableStepOptions =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(ACTIVITY_START_TO_CLOSE)
          .setScheduleToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(500))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .build())
          .build();

  /**
   * The pivot and every compensation: retried without limit until they succeed. One that keeps
   * failing stays visible as a pending activity and the order stays COMPENSATING.
   */
  private final ActivityOptions mustSucceedOptions =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(ACTIVITY_START_TO_CLOSE)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setMaximumAttempts(0)
                  .build())
          .build();

  /**
   * A forward step's first try: a local activity, run by the worker inside the workflow task, so a
   * flowing order costs one workflow task and one marker per step instead of a task round trip each.
   * Its budget is short: a step still failing after it is handed to a regular activity (see
   * {@link #runForward}), where an operator sees it pending with its attempts and last failure, and
   * where a cancel can reach it. A local attempt cannot be cancelled, and an update (a cancel, a
   * review decision) waits for the workflow task to end: for a flowing order that is after all its
   * steps, so a cancel sent during its first task usually finds it confirmed. One lock wait
   * (lock_timeout 2 s) fits an attempt.
   */
  private static final LocalActivityOptions LOCAL_FIRST_TRY =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(3))
          .setScheduleToCloseTimeout(Duration.ofSeconds(4))
          // the arguments are in the workflow's input already: the marker keeps only the result
          .setDoNotIncludeArgumentsIntoMarker(true)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(100))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(3)
                  .build())
          .build();

  /** How long a cancel accepted by update waits for the caller's workflow cancel request. */
  private static final Duration WORKFLOW_CANCEL_GRACE = Duration.ofSeconds(30);

  /**
   * Workflow.getVersion change id: from version 1 on, the step a business rule refused on its first
   * attempt is not compensated (see {@link #compensate}). Orders started before keep compensating it.
   */
  private static final String SKIP_UNDO_OF_REFUSED_STEP = "skip-undo-of-refused-step";

  /**
   * Workflow.getVersion change id: from version 1 on, an order the api marked for review
   * ({@link OrderRequest#needsReview}) waits after reserveInventory for an operator's decision.
   */
  private static final String OPERATOR_REVIEW = "operator-review";

  /**
   * Workflow.getVersion change id: from version 1 on, a confirmed order whose request asks for it
   * ({@link OrderRequest#tracksDelivery}) starts the ShipmentWorkflow that tracks it until delivery.
   */
  private static final String DELIVERY_TRACKING = "delivery-tracking";

  /**
   * Workflow.getVersion change id: from version 1 on, the tracking is started in a detached scope, so
   * that a workflow cancel arriving after the pivot neither stops it nor fails the completed order's
   * run. Orders from before (generation v5) started it in the workflow's own scope.
   */
  private static final String TRACKING_DESPITE_CANCEL = "tracking-despite-cancel";

  /**
   * Workflow.getVersion change id: from version 1 on, the review deadline is a timer with a summary,
   * so the Web UI names it ("review deadline") instead of showing the SDK's timer id.
   */
  private static final String NAMED_DEADLINE_TIMERS = "named-deadline-timers";

  /**
   * Workflow.getVersion change id: from version 1 on, the forward steps try first as local activities
   * ({@link #LOCAL_FIRST_TRY}); the OrderStatus search attribute is written only where the order
   * rests (waiting for a review, a retried step or compensation, and at the end), not at every step;
   * the search attributes the api set at start are not written again; and every earlier change id is
   * implied (an order on this version started after all of them), so it records one marker, not
   * three. Compensations stay regular activities.
   */
  private static final String LOCAL_FORWARD_STEPS = "local-forward-steps";

  /**
   * Workflow.getVersion change id, asked only when a forward step is about to start in a cancelled
   * scope: from version 1 on it does not start. The SDK neither cancels a local activity nor refuses
   * one in a cancelled scope (a regular activity fails at once), so on {@link #LOCAL_FORWARD_STEPS}
   * a cancel accepted mid-task let the next steps run, only to be undone.
   */
  private static final String STOP_LOCAL_STEPS_ON_CANCEL = "stop-local-steps-on-cancel";

  /**
   * Workflow.getVersion change id, asked only when compensating a step refused on attempt 1: from
   * version 1 on it is compensated too. A local activity's attempt 1 is not proof that no other
   * attempt ran: a workflow task retried on another worker runs the local activity again, as attempt
   * 1, while the first worker's attempt may still commit; the compensation's record fences it off.
   */
  private static final String UNDO_REFUSED_LOCAL_STEP = "undo-refused-local-step";

  /**
   * Workflow.getVersion change id, asked only by an order that tracks its delivery, when it books the
   * shipment: from version 1 on the booking records the delivery deadline and the order starts no
   * ShipmentWorkflow; the carrier's first event starts it (the api's webhook, update-with-start), or
   * the deadline sweep for a parcel never reported. Before, each order started it as a child at
   * confirmation: half the engine's work per order, and a workflow open for up to 14 days.
   */
  private static final String TRACKING_STARTS_WITH_CARRIER = "tracking-starts-with-carrier";

  private final Map<SagaStep, StepState> steps = new EnumMap<>(SagaStep.class);
  private OrderRequest order;
  private OrderStatus status = OrderStatus.PENDING;
  /** The OrderStatus search attribute as last written (by the api at start, or by this workflow). */
  private OrderStatus publishedStatus;
  /** Decided once, at the start: see {@link #LOCAL_FORWARD_STEPS}. */
  private boolean localForwardSteps;
  private OrderFailure failure;
  private SagaStep currentStep;
  /** The step a business rule refused on its first and only attempt, if that is how the saga stopped. */
  private SagaStep refusedOnFirstAttempt;
  /** The step last handed from its local tries to a regular activity: its activity attempt 1 was not its first. */
  private SagaStep retriedBeyondLocalBudget;
  private boolean pivotStarted;
  private boolean cancelRequested;
  private String cancelReason;
  private CancellationScope undoableSteps;
  private String trackingNumber;
  /** Workflow time of the booking: the delivery deadline counts from it. */
  private long bookedAtMillis;
  /** Decided when the shipment is booked: see {@link #TRACKING_STARTS_WITH_CARRIER}. */
  private boolean trackingStartsWithCarrier;
  /** True only while the order waits for a review decision: the review validator's condition. */
  private boolean awaitingReview;
  private ReviewDecision reviewDecision;
  private String reviewDecidedAt;
  private OrderReview review;

  public OrderWorkflowImpl() {
    for (SagaStep step : SagaStep.IN_ORDER) {
      steps.put(step, new StepState(step.activityName(), StepStatus.PENDING, 0));
    }
  }

  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.PINNED)
  public OrderResult process(OrderRequest order) {
    this.order = order;
    CancellationScope workflowScope = CancellationScope.current();
    localForwardSteps = Workflow.getVersion(LOCAL_FORWARD_STEPS, Workflow.DEFAULT_VERSION, 1) == 1;
    if (localForwardSteps) {
      publishStartAttributesTheApiDidNotSet();
    } else {
      Workflow.upsertTypedSearchAttributes(
          OrderContract.CUSTOMER_ID.valueSet(order.customerId()),
          OrderContract.ORDER_TOTAL.valueSet(order.total().doubleValue()));
      changeStatus(OrderStatus.PENDING);
    }

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
    // The pivot. Setting the flag and scheduling confirmOrder happen in the same workflow task as
    // the cancel validator checks it, so a cancel is either rejected here or has already won above.
    pivotStarted = true;
    ConfirmationReceipt receipt =
        runStep(
            SagaStep.CONFIRM_ORDER,
            () -> {
              // Detached: a workflow cancel arriving now must not interrupt the pivot.
              ConfirmationReceipt[] out = new ConfirmationReceipt[1];
              Workflow.newDetachedCancellationScope(
                      () -> out[0] = runForward(OrderActivities.class, mustSucceedOptions, "confirm order",
                          activities -> activities.confirmOrder(order.orderId())))
                  .run();
              return out[0];
            },
            ConfirmationReceipt::attempt);
    changeStatus(OrderStatus.COMPLETED);
    Workflow.setCurrentDetails(
        "Completed; " + receipt.loyaltyPointsAwarded() + " loyalty points awarded.");
    if (order.tracksDelivery() && !trackingStartsWithCarrier && isOn(DELIVERY_TRACKING)) {
      startDeliveryTracking();
    }
    return new OrderResult(order.orderId(), OrderStatus.COMPLETED, trackingNumber);
  }

  private void runUndoableSteps(Saga saga) {
    String orderId = order.orderId();

    // Each compensation is registered before its action: the action may take effect and still
    // time out, and every compensation is a no-op when its action never happened.
    saga.addCompensation(
        () -> compensate(SagaStep.RESERVE_INVENTORY,
            () -> stub(InventoryActivities.class, mustSucceedOptions, "release " + order.describeLines()).releaseInventory(orderId)));
    runStep(
        SagaStep.RESERVE_INVENTORY,
        () -> runForward(InventoryActivities.class, undoableStepOptions, "reserve " + order.describeLines(),
            activities -> activities.reserveInventory(order)),
        ReservationReceipt::attempt);
    changeStatus(OrderStatus.RESERVED);

    if (order.needsReview() && isOn(OPERATOR_REVIEW)) {
      awaitReview();
    }

    String amount = order.total().toPlainString() + " " + order.currency();
    saga.addCompensation(
        () -> compensate(SagaStep.CHARGE_PAYMENT,
            () -> stub(PaymentActivities.class, mustSucceedOptions, "refund " + amount + " to " + order.customerId())
                .refundPayment(orderId)));
    runStep(
        SagaStep.CHARGE_PAYMENT,
        () -> runForward(PaymentActivities.class, undoableStepOptions, "charge " + amount + " to " + order.customerId(),
            activities -> activities.chargePayment(orderId)),
        PaymentReceipt::attempt);
    changeStatus(OrderStatus.PAID);

    String country = order.shippingAddress().country();
    saga.addCompensation(
        () -> compensate(SagaStep.CREATE_SHIPMENT,
            () -> stub(ShippingActivities.class, mustSucceedOptions, "cancel shipment to " + country).cancelShipment(orderId)));
    trackingStartsWithCarrier = order.tracksDelivery()
        && Workflow.getVersion(TRACKING_STARTS_WITH_CARRIER, Workflow.DEFAULT_VERSION, 1) == 1;
    Duration deliveryWithin = trackingStartsWithCarrier ? order.deliveryWithin() : null;
    ShipmentReceipt shipment =
        runStep(
            SagaStep.CREATE_SHIPMENT,
            () -> runForward(ShippingActivities.class, undoableStepOptions, "book shipment to " + country,
                activities -> activities.createShipment(orderId, deliveryWithin)),
            ShipmentReceipt::attempt);
    trackingNumber = shipment.trackingNumber();
    bookedAtMillis = Workflow.currentTimeMillis();
    changeStatus(OrderStatus.SHIPPED);
  }

  /**
   * Holds the order, stock reserved and no money taken, until an operator decides or the deadline
   * passes (a durable timer). A cancel meanwhile interrupts the wait like any step. Rejected or
   * expired, it throws the business failure that undoes the order.
   */
  private void awaitReview() {
    currentStep = null; // a review's failure belongs to no step
    Instant deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(order.reviewWithin());
    changeStatus(OrderStatus.AWAITING_REVIEW);
    // From the moment the status says so, not only once recorded: a decision sent meanwhile is kept.
    awaitingReview = true;
    try {
      stub(OrderActivities.class, mustSucceedOptions, "await review until " + deadline)
          .markAwaitingReview(order.orderId(), deadline.toString());
      Workflow.setCurrentDetails("Awaiting an operator's review (total " + order.total().toPlainString() + " "
          + order.currency() + ") until " + deadline + "; POST /orders/" + order.orderId() + "/review decides.");
      Duration left = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), deadline);
      Duration wait = left.isNegative() ? Duration.ZERO : left;
      if (isOn(NAMED_DEADLINE_TIMERS)) {
        Promise<Void> reviewDeadline = Workflow.newTimer(wait, TimerOptions.newBuilder()
            .setSummary("review deadline " + deadline).build());
        Workflow.await(() -> reviewDecision != null || reviewDeadline.isCompleted());
      } else {
        Workflow.await(wait, () -> reviewDecision != null);
      }
    } finally {
      awaitingReview = false;
    }
    // From the state, not await's result: a decision accepted in the task where the timer fired still counts.
    OrderReview outcome = reviewDecision != null
        ? new OrderReview(ReviewDecision.APPROVE.equals(reviewDecision.decision()) ? OrderReview.APPROVED : OrderReview.REJECTED,
            reviewDecision.note(), reviewDecision.decidedBy(), reviewDecidedAt)
        : new OrderReview(OrderReview.EXPIRED, null, null, deadline.toString());
    // Detached: a cancel accepted meanwhile must not lose a decision already taken (it takes effect after).
    Workflow.newDetachedCancellationScope(
            () -> stub(OrderActivities.class, mustSucceedOptions, "record review: " + outcome.outcome())
                .recordReview(order.orderId(), outcome))
        .run();
    review = outcome;
    switch (outcome.outcome()) {
      case OrderReview.APPROVED -> changeStatus(OrderStatus.RESERVED);
      // Failure messages are not encrypted and customers read them: who rejected it and why stay in
      // the review's record (operators only), not here.
      case OrderReview.REJECTED -> throw ApplicationFailure.newNonRetryableFailure(
          "Rejected in review", OrderFailureReason.REVIEW_REJECTED);
      default -> throw ApplicationFailure.newNonRetryableFailure(
          "No review decision within " + order.reviewWithin(), OrderFailureReason.REVIEW_EXPIRED);
    }
  }

  /**
   * Orders from before {@link #TRACKING_STARTS_WITH_CARRIER} only (histories v5-v9): starts the
   * shipment's own workflow, which outlives this one (parent close policy ABANDON): the order is
   * COMPLETED now, its delivery is followed for up to deliveryWithin after the booking.
   */
  private void startDeliveryTracking() {
    ShipmentWorkflow tracker = Workflow.newChildWorkflowStub(ShipmentWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(ShipmentWorkflow.workflowId(order.orderId()))
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .setStaticSummary("track " + trackingNumber + " until delivery")
            .build());
    String deadline = Instant.ofEpochMilli(bookedAtMillis).plus(order.deliveryWithin()).toString();
    Runnable start = () -> {
      Async.function(tracker::track, new ShipmentTracking(order.orderId(), trackingNumber, deadline));
      try {
        Workflow.getWorkflowExecution(tracker).get(); // started for sure before this run completes
      } catch (ChildWorkflowFailure failure) {
        // shipment-<orderId> exists already (this run was reset past this point): it is tracking
        if (!(failure.getCause() instanceof WorkflowExecutionAlreadyStarted)) {
          throw failure;
        }
      }
    };
    if (isOn(TRACKING_DESPITE_CANCEL)) {
      // Detached, like confirmOrder: a workflow cancel after the pivot must not stop the tracking of a
      // confirmed order's parcel (nor turn the completed order into a failed run).
      Workflow.newDetachedCancellationScope(start).run();
    } else {
      start.run();
    }
  }

  /** Compensates, records the outcome, then ends the workflow as failed or cancelled. */
  private OrderResult undo(Saga saga, TemporalFailure cause, CancellationScope workflowScope) {
    boolean cancelled = cancelRequested || isCancellation(cause);
    failure =
        cancelled
            ? new OrderFailure(null, OrderFailureReason.CANCELLED,
                cancelReason != null ? cancelReason : "Order cancelled", 0)
            : describeFailure(cause);
    OrderStatus finalStatus = cancelled ? OrderStatus.CANCELLED : OrderStatus.FAILED;
    changeStatus(OrderStatus.COMPENSATING);

    // Detached, so that a workflow cancel (API or Web UI) cannot stop the undo itself.
    Workflow.newDetachedCancellationScope(
            () -> {
              stub(OrderActivities.class, mustSucceedOptions, "record compensation: " + failure.reason())
                  .markCompensating(order, failure);
              saga.compensate();
              stub(OrderActivities.class, mustSucceedOptions, "record " + finalStatus).markCompensated(order.orderId(), finalStatus, failure);
            })
        .run();
    for (SagaStep step : SagaStep.IN_ORDER) {
      if (steps.get(step).status() == StepStatus.PENDING) {
        setStep(step, StepStatus.SKIPPED, 0);
      }
    }
    changeStatus(finalStatus);
    // One line per undone order, instead of the SDK's warning with a stack trace, which the workers
    // keep for errors (application.yml): the outcome is the saga's, recorded in the order's row too.
    Workflow.getLogger(OrderWorkflowImpl.class).info("Order {} {}: {}{} ({}); every completed step undone",
        order.orderId(), finalStatus, failure.reason(), failure.step() == null ? "" : " at " + failure.step(),
        failure.message());

    if (!cancelled) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          failure.message(), failure.reason(), cause);
    }
    if (!workflowScope.isCancelRequested()) {
      // Cancelled through the update: wait briefly for the caller's workflow cancel so the run
      // ends Canceled; if that never comes (caller died), complete with the CANCELLED result.
      Workflow.await(WORKFLOW_CANCEL_GRACE, workflowScope::isCancelRequested);
    }
    if (workflowScope.isCancelRequested()) {
      throw new CanceledFailure(failure.message());
    }
    return new OrderResult(order.orderId(), OrderStatus.CANCELLED, null);
  }

  private <R> R runStep(SagaStep step, Functions.Func<R> action, Functions.Func1<R, Integer> attempt) {
    currentStep = step;
    setStep(step, StepStatus.RUNNING, 0);
    Workflow.setCurrentDetails("Running " + step.activityName() + " (status " + status + ")");
    try {
      R result = action.apply();
      setStep(step, StepStatus.COMPLETED, attempt.apply(result));
      return result;
    } catch (TemporalFailure e) {
      if (!isCancellation(e)) {
        setStep(step, StepStatus.FAILED, failedAttempt(e));
        if (isBusinessRefusal(e) && failedAttempt(e) == 1 && retriedBeyondLocalBudget != step) {
          refusedOnFirstAttempt = step;
        }
      }
      throw e;
    }
  }

  private void compensate(SagaStep step, Functions.Proc compensation) {
    // Refused on its first attempt, a step provably did nothing: that attempt rolled back, and no
    // other attempt exists that could still commit and need the compensation's record as a fence.
    if (step == refusedOnFirstAttempt
        && isOn(SKIP_UNDO_OF_REFUSED_STEP)
        && !(localForwardSteps && Workflow.getVersion(UNDO_REFUSED_LOCAL_STEP, Workflow.DEFAULT_VERSION, 1) == 1)) {
      return;
    }
    StepState before = steps.get(step);
    // Any other failed step is compensated: refused after a retry, an earlier attempt may have timed
    // out and still be running (the compensation's record fences it off); out of time, its last
    // attempt may have taken effect. A failed step keeps showing FAILED.
    boolean tookEffect = before.status() != StepStatus.FAILED;
    if (tookEffect) {
      setStep(step, StepStatus.COMPENSATING, before.attempts());
    }
    compensation.apply();
    if (tookEffect) {
      setStep(step, StepStatus.COMPENSATED, before.attempts());
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
      throw ApplicationFailure.newNonRetryableFailure(
          "Order can no longer be cancelled: it is " + status
              + (pivotStarted ? " and confirmOrder has started" : ""),
          OrderFailureReason.NOT_CANCELLABLE);
    }
    if (reviewDecision != null && review == null) {
      // accepted while the order was being marked for review: the decision is recorded first
      throw ApplicationFailure.newNonRetryableFailure(
          "Order cannot be cancelled right now: an operator's review decision is being recorded; "
              + "try again once the order shows the decision", OrderFailureReason.NOT_CANCELLABLE);
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
    if (!awaitingReview || reviewDecision != null || cancelRequested) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Order is not awaiting review: it is " + status + (reviewDecision != null ? ", decided already" : "")
              + (cancelRequested ? ", being cancelled" : ""),
          OrderFailureReason.NOT_AWAITING_REVIEW);
    }
    if (decision == null || !(ReviewDecision.APPROVE.equals(decision.decision())
        || ReviewDecision.REJECT.equals(decision.decision()))) {
      throw ApplicationFailure.newNonRetryableFailure("A decision is APPROVE or REJECT", OrderFailureReason.NOT_AWAITING_REVIEW);
    }
  }

  @Override
  public OrderReview review(ReviewDecision decision) {
    reviewDecision = decision;
    reviewDecidedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    // answered once recorded, so the caller reads it back; never left waiting by an order that ended
    Workflow.await(() -> review != null || status.isTerminal());
    if (review == null) {
      throw ApplicationFailure.newNonRetryableFailure("The order ended before the decision was recorded: it is "
          + status, OrderFailureReason.NOT_AWAITING_REVIEW);
    }
    return review;
  }

  /**
   * Whether a change (a Workflow.getVersion id with versions DEFAULT and 1) applies to this order:
   * always on {@link #LOCAL_FORWARD_STEPS}, which came after all of them, so it records no marker.
   */
  private boolean isOn(String changeId) {
    return localForwardSteps || Workflow.getVersion(changeId, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * The order's status; on {@link #LOCAL_FORWARD_STEPS} visibility gets it only where the order
   * rests (a status that flows on within the same workflow task would be overwritten unseen).
   */
  private void changeStatus(OrderStatus newStatus) {
    status = newStatus;
    if (!localForwardSteps || newStatus.isTerminal() || newStatus == OrderStatus.AWAITING_REVIEW
        || newStatus == OrderStatus.COMPENSATING) {
      publishStatus();
    }
  }

  private void publishStatus() {
    if (localForwardSteps && status == publishedStatus) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(OrderContract.ORDER_STATUS.valueSet(status.name()));
    publishedStatus = status;
  }

  /** The api sets these at start; an order started another way (Web UI, CLI) gets them here. */
  private void publishStartAttributesTheApiDidNotSet() {
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
    publishedStatus = OrderStatus.PENDING;
    if (!missing.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(missing.toArray(SearchAttributeUpdate[]::new));
    }
  }

  /**
   * A forward step. Before {@link #LOCAL_FORWARD_STEPS}: a regular activity. From it on: a local
   * activity first; a business refusal or a cancel ends the step as before, and anything else
   * (failures or timeouts beyond the local budget) hands the step to the regular activity with the
   * step's own options, after publishing where the order stands.
   */
  private <A, R> R runForward(Class<A> activities, ActivityOptions options, String summary, Functions.Func1<A, R> call) {
    if (!localForwardSteps) {
      return call.apply(stub(activities, options, summary));
    }
    if (CancellationScope.current().isCancelRequested()
        && Workflow.getVersion(STOP_LOCAL_STEPS_ON_CANCEL, Workflow.DEFAULT_VERSION, 1) == 1) {
      throw new CanceledFailure("cancelled before: " + summary);
    }
    try {
      return call.apply(Workflow.newLocalActivityStub(activities,
          LocalActivityOptions.newBuilder(LOCAL_FIRST_TRY).setSummary(summary).build()));
    } catch (ActivityFailure localFailure) {
      if (isBusinessRefusal(localFailure) || isCancellation(localFailure)) {
        throw localFailure;
      }
      // A local attempt that timed out may still commit: the step's record fences it, as for any retry.
      retriedBeyondLocalBudget = currentStep;
      String cause = rootMessage(localFailure);
      publishStatus();
      Workflow.setCurrentDetails("Retrying " + summary + " as an activity: it failed within the local budget ("
          + cause + "). Its attempts and last failure are under Pending Activities.");
      return call.apply(stub(activities, options, summary + " (retried after: " + cause + ")"));
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private void setStep(SagaStep step, StepStatus stepStatus, int attempts) {
    steps.put(step, new StepState(step.activityName(), stepStatus, attempts));
  }

  private OrderFailure describeFailure(TemporalFailure cause) {
    String step = currentStep == null ? null : currentStep.activityName();
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return new OrderFailure(step, app.getType(), app.getOriginalMessage(), failedAttempt(cause));
      }
      if (t instanceof TimeoutFailure) {
        return new OrderFailure(step, OrderFailureReason.STEP_TIMED_OUT,
            step + " kept failing until its time budget ran out", 0);
      }
    }
    return new OrderFailure(step, "STEP_FAILED", cause.getMessage(), 0);
  }

  /** Activities put the attempt that failed into the failure details, when they know it. */
  private static int failedAttempt(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app && app.getDetails().getSize() > 0) {
        Integer attempt = app.getDetails().get(Integer.class);
        return attempt == null ? 0 : attempt;
      }
    }
    return 0;
  }

  /** A non-retryable ApplicationFailure from the activity: a business rule said no (OUT_OF_STOCK, ...). */
  private static boolean isBusinessRefusal(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.isNonRetryable();
      }
    }
    return false;
  }

  private static boolean isCancellation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  /** One stub per call so each activity carries a human-readable summary in the event history. */
  private static <T> T stub(Class<T> activities, ActivityOptions options, String summary) {
    return Workflow.newActivityStub(
        activities, ActivityOptions.newBuilder(options).setSummary(summary).build());
  }
}
