package com.example.orders.workflows.shipping;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per tracked shipment (id {@code shipment-<orderId>}, task queue {@code orders}):
 * BOOKED until the carrier's events move it to DISPATCHED and DELIVERED, or until the delivery
 * deadline makes it LOST and refunds the customer. It starts with the carrier's first event (an
 * update-with-start from the api's webhook), or from the deadline sweep for a parcel never reported;
 * orders of the earlier shape started it themselves at confirmation.
 */
@WorkflowInterface
public interface ShipmentWorkflow {

  String WORKFLOW_TYPE = "ShipmentWorkflow";
  String WORKFLOW_ID_PREFIX = "shipment-";

  static String workflowId(String orderId) {
    return WORKFLOW_ID_PREFIX + orderId;
  }

  /**
   * How the webhook and the sweep start it: an existing run takes the event (or the sweep's start)
   * as it is, and a shipment whose tracking has ended is never tracked a second time.
   */
  static WorkflowOptions startOptions(String orderId, String trackingNumber) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(orderId))
        .setTaskQueue(OrderContract.TASK_QUEUE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary("track " + trackingNumber + " until delivery")
        .setStaticDetails("Order " + orderId)
        .build();
  }

  /** Completes once DELIVERED or LOST (refunded), with the final state. */
  @WorkflowMethod(name = WORKFLOW_TYPE)
  ShipmentState track(ShipmentTracking tracking);

  @QueryMethod
  ShipmentState state();

  /** A carrier's event, recorded before the answer; the same eventId again returns the same state. */
  @UpdateMethod
  ShipmentState carrierEvent(CarrierEvent event);

  /**
   * Refuses an event that contradicts the shipment (anything after DELIVERED or LOST, DISPATCHED
   * twice) or comes after the delivery deadline.
   */
  @UpdateValidatorMethod(updateName = "carrierEvent")
  void validateCarrierEvent(CarrierEvent event);
}
