package com.example.orders.workflows.shipping;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.VersioningBehavior;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

public class ShipmentWorkflowImpl implements ShipmentWorkflow {

  /**
   * Workflow.getVersion change id: from version 1 on the delivery deadline is a timer with a summary,
   * which the Web UI shows by name instead of the SDK's timer id.
   */
  private static final String NAMED_DEADLINE_TIMERS = "named-deadline-timers";

  /** Type of the failure that refuses a contradicting carrier event (the api answers 409). */
  public static final String CONTRADICTS_SHIPMENT = "EVENT_CONTRADICTS_SHIPMENT";

  /** Recording an event and refunding a lost shipment must happen: retried until they succeed. */
  private final ShippingActivities shipping = Workflow.newActivityStub(ShippingActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setBackoffCoefficient(2)
              .setMaximumInterval(Duration.ofMinutes(1))
              .setMaximumAttempts(0)
              .build())
          .build());

  private final ShipmentTracking tracking;
  private String status = ShipmentState.BOOKED;
  private final List<CarrierEvent> events = new ArrayList<>();

  /**
   * Takes the input before anything else runs: a carrier event can arrive in the workflow's very
   * first task, and its handler runs before the workflow method would have set it.
   */
  @WorkflowInit
  public ShipmentWorkflowImpl(ShipmentTracking tracking) {
    this.tracking = tracking;
  }

  // AUTO_UPGRADE: a parcel is tracked for up to 14 days, longer than an old build should keep running, so
  // a run moves to the current build at its next task; its changes still go behind Workflow.getVersion
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.AUTO_UPGRADE)
  public ShipmentState track(ShipmentTracking tracking) {
    Instant deadline = Instant.parse(tracking.deliveryDeadline());
    Workflow.setCurrentDetails("Tracking " + tracking.trackingNumber() + " until delivery; LOST and refunded if not "
        + "delivered by " + deadline);
    Duration left = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), deadline);
    Duration wait = left.isNegative() ? Duration.ZERO : left;
    if (Workflow.getVersion(NAMED_DEADLINE_TIMERS, Workflow.DEFAULT_VERSION, 1) == 1) {
      Promise<Void> deliveryDeadline = Workflow.newTimer(wait, TimerOptions.newBuilder()
          .setSummary("delivery deadline " + deadline).build());
      Workflow.await(() -> ShipmentState.DELIVERED.equals(status) || deliveryDeadline.isCompleted());
    } else {
      Workflow.await(wait, () -> ShipmentState.DELIVERED.equals(status));
    }
    // An event still being recorded finishes first, so that LOST never overtakes an accepted DELIVERED
    // nor races its record; then the state, not await's result, says whether it arrived in time.
    Workflow.await(Workflow::isEveryHandlerFinished);
    boolean delivered = ShipmentState.DELIVERED.equals(status);
    if (!delivered) {
      status = ShipmentState.LOST; // from here on the validator refuses every new event
      Workflow.setCurrentDetails("LOST: not delivered by " + deadline + "; refunding the customer");
      shipping.refundLostShipment(tracking.orderId());
    }
    Workflow.await(Workflow::isEveryHandlerFinished); // an event being recorded finishes first
    Workflow.setCurrentDetails(status + (delivered ? "" : ": refunded"));
    return state();
  }

  @Override
  public ShipmentState state() {
    return new ShipmentState(tracking.trackingNumber(), status, List.copyOf(events));
  }

  @Override
  public void validateCarrierEvent(CarrierEvent event) {
    // the api checks all this too; updates sent from the Web UI or the CLI reach the workflow directly
    if (event == null || event.eventId() == null || event.eventId().isBlank() || event.type() == null
        || !Set.of(ShipmentState.DISPATCHED, ShipmentState.DELIVERED).contains(event.type())
        || !isTimestamp(event.occurredAt())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "An event has an eventId, a type DISPATCHED or DELIVERED and an ISO-8601 occurredAt", CONTRADICTS_SHIPMENT);
    }
    if (ShipmentState.LOST.equals(status) && !seen(event.eventId())) {
      throw ApplicationFailure.newNonRetryableFailure("Shipment is LOST: it takes no more events", CONTRADICTS_SHIPMENT);
    }
    // A tracking started by a late event (or before its deadline timer fired) is LOST all the same:
    // the deadline, not the moment someone noticed, decides.
    if (!seen(event.eventId()) && !ShipmentState.DELIVERED.equals(status) && pastDeadline()) {
      throw ApplicationFailure.newNonRetryableFailure("Shipment was not delivered by its deadline "
          + tracking.deliveryDeadline() + ": it is LOST and takes no more events", CONTRADICTS_SHIPMENT);
    }
    if (!seen(event.eventId())) {
      next(event); // throws if it contradicts the shipment
    }
  }

  @Override
  public ShipmentState carrierEvent(CarrierEvent event) {
    if (seen(event.eventId())) {
      return state(); // the same event again: nothing changes, the same answer
    }
    // Checked again and applied at once, before any await: two accepted events can never both move it.
    String next = next(event);
    status = next;
    events.add(event);
    shipping.recordShipmentEvent(tracking.trackingNumber(), event, next);
    return state();
  }

  private boolean pastDeadline() {
    return Workflow.currentTimeMillis() >= Instant.parse(tracking.deliveryDeadline()).toEpochMilli();
  }

  private static boolean isTimestamp(String value) {
    try {
      java.time.OffsetDateTime.parse(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean seen(String eventId) {
    return events.stream().anyMatch(e -> e.eventId().equals(eventId));
  }

  /** BOOKED -> DISPATCHED -> DELIVERED (or BOOKED -> DELIVERED when the dispatch scan is missing). */
  private String next(CarrierEvent event) {
    boolean allowed = switch (status) {
      case ShipmentState.BOOKED -> true;
      case ShipmentState.DISPATCHED -> ShipmentState.DELIVERED.equals(event.type());
      default -> false;
    };
    if (!allowed) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Shipment is " + status + ": a " + event.type() + " event contradicts it", CONTRADICTS_SHIPMENT);
    }
    return event.type();
  }
}
