package com.example.orders.workflows.shipping;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.time.Duration;

public class ShipmentDeadlineSweepImpl implements ShipmentDeadlineSweep {

  /** Shipments handed over per activity call: each is one start request at most, so a batch takes seconds at most. */
  static final int BATCH = 200;

  /** A few tries, then the next scheduled sweep tries again: nothing is lost by giving up. */
  private final ShipmentSweepActivities activities = Workflow.newActivityStub(ShipmentSweepActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build());

  // AUTO_UPGRADE: the schedule skips a sweep while one runs, so a run must never wait for a stopped build
  @Override
  @WorkflowVersioningBehavior(VersioningBehavior.AUTO_UPGRADE)
  public int sweep() {
    int handedOver = 0;
    int batch;
    // a full batch may mean more are waiting; a sweep that finds thousands still ends in a few tasks
    do {
      batch = activities.startTrackingOverdueShipments(BATCH);
      handedOver += batch;
    } while (batch == BATCH && handedOver < 50 * BATCH);
    Workflow.setCurrentDetails(handedOver + " overdue shipment(s) handed to their tracking");
    return handedOver;
  }
}
