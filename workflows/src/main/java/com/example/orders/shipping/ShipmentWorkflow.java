package com.example.orders.shipping;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per confirmed order's shipment (id {@code shipment-<orderId>}, task queue
 * {@code orders}), started by the order and outliving it: BOOKED until the carrier's events move it
 * to DISPATCHED and DELIVERED, or until the delivery deadline makes it LOST and refunds the customer.
 */
@WorkflowInterface
public interface ShipmentWorkflow {

  String WORKFLOW_TYPE = "ShipmentWorkflow";
  String WORKFLOW_ID_PREFIX = "shipment-";

  static String workflowId(String orderId) {
    return WORKFLOW_ID_PREFIX + orderId;
  }

  /** Completes once DELIVERED or LOST (refunded), with the final state. */
  @WorkflowMethod(name = WORKFLOW_TYPE)
  ShipmentState track(ShipmentTracking tracking);

  @QueryMethod
  ShipmentState state();

  /** A carrier's event, recorded before the answer; the same eventId again returns the same state. */
  @UpdateMethod
  ShipmentState carrierEvent(CarrierEvent event);

  /** Refuses an event that contradicts the shipment (anything after DELIVERED or LOST, DISPATCHED twice). */
  @UpdateValidatorMethod(updateName = "carrierEvent")
  void validateCarrierEvent(CarrierEvent event);
}
