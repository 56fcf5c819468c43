package com.example.orders.workflows.shipping;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Finds booked shipments the carrier never reported and whose delivery deadline has passed, and starts
 * their tracking, which then declares them LOST and refunds the customer. Run by the Temporal schedule
 * {@value #SCHEDULE_ID} that the workers create (every {@code ORDERS_SHIPMENT_SWEEP_INTERVAL}); a
 * parcel the carrier reports is tracked from its first event instead, with its own deadline timer.
 */
@WorkflowInterface
public interface ShipmentDeadlineSweep {

  String WORKFLOW_TYPE = "ShipmentDeadlineSweep";
  String SCHEDULE_ID = "shipment-deadline-sweep";

  /** @return how many overdue shipments it handed to their tracking (started now, or found started already) */
  @WorkflowMethod(name = WORKFLOW_TYPE)
  int sweep();
}
