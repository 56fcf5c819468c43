package com.example.orders.workflows.shipping;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ShipmentSweepActivities {

  /**
   * Starts {@code shipment-<orderId>} for up to {@code limit} booked shipments past their delivery
   * deadline without a carrier event, and marks each as handed over (one whose tracking a late event
   * started is marked too). Idempotent: a tracking already running or ended is left as it is.
   *
   * @return how many it handed over; fewer than {@code limit} means none is left
   */
  @ActivityMethod(name = "startTrackingOverdueShipments")
  int startTrackingOverdueShipments(int limit);
}
