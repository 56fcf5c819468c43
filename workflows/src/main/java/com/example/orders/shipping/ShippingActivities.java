package com.example.orders.shipping;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface ShippingActivities {

  /**
   * Books a shipment with the carrier for the order's address. Idempotency key: (orderId,
   * createShipment); a repeat returns the first booking.
   *
   * @throws io.temporal.failure.ApplicationFailure UNDELIVERABLE_ADDRESS, non-retryable
   */
  @ActivityMethod(name = "createShipment")
  ShipmentReceipt createShipment(String orderId);

  /**
   * Cancels the booked shipment. Idempotency key: (orderId, cancelShipment). A no-op when nothing
   * was booked.
   */
  @ActivityMethod(name = "cancelShipment")
  void cancelShipment(String orderId);
}
