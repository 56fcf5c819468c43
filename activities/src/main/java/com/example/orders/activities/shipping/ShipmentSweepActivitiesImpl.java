package com.example.orders.activities.shipping;

import com.example.orders.domain.shipping.ShipmentRepository;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.workflows.shipping.ShipmentSweepActivities;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component
public class ShipmentSweepActivitiesImpl implements ShipmentSweepActivities {

  private static final Logger log = LoggerFactory.getLogger(ShipmentSweepActivitiesImpl.class);

  private final ShippingService shipping;
  private final WorkflowClient client;

  public ShipmentSweepActivitiesImpl(ShippingService shipping, WorkflowClient client) {
    this.shipping = shipping;
    this.client = client;
  }

  @Override
  public int startTrackingOverdueShipments(int limit) {
    int handedOver = 0;
    for (ShipmentRepository.Shipment shipment : shipping.bookedPastDeadline(limit)) {
      // FAIL on a running one too: only a start this call made counts, so a sweep never loops on them
      WorkflowOptions options = ShipmentWorkflow.startOptions(shipment.orderId(), shipment.trackingNumber()).toBuilder()
          .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
          .build();
      ShipmentWorkflow tracker = client.newWorkflowStub(ShipmentWorkflow.class, options);
      try {
        WorkflowClient.start(tracker::track, shipment.tracking());
        log.info("Shipment {} of order {} passed its delivery deadline {} without a carrier event: tracking started, "
            + "it becomes LOST and the customer is refunded", shipment.trackingNumber(), shipment.orderId(),
            shipment.deliveryDeadline());
      } catch (WorkflowExecutionAlreadyStarted tracked) {
        // its tracking runs already (a late first event started it) or has ended: it decides, not the sweep
      }
      // Marked only once its workflow exists: a sweep that dies before this starts it again, harmlessly.
      shipping.markSweptIntoTracking(shipment.trackingNumber());
      Activity.getExecutionContext().heartbeat(++handedOver);
    }
    return handedOver;
  }
}
