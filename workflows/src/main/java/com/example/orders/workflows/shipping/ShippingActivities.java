package com.example.orders.workflows.shipping;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.time.Duration;

@ActivityInterface
public interface ShippingActivities {

  /**
   * Books a shipment with the carrier for the order's address. Idempotency key: (orderId,
   * createShipment); a repeat returns the first booking.
   *
   * @param deliveryWithin how long after the booking the parcel may take before it is LOST (kept as the
   *     shipment's delivery deadline, which its tracking starts from); null when the order does not
   *     track it or its workflow starts the tracking itself (histories before v10 sent only orderId)
   * @throws io.temporal.failure.ApplicationFailure UNDELIVERABLE_ADDRESS, non-retryable
   */
  @ActivityMethod(name = "createShipment")
  ShipmentReceipt createShipment(String orderId, Duration deliveryWithin);

  /**
   * Cancels the booked shipment. Idempotency key: (orderId, cancelShipment). A no-op when nothing
   * was booked.
   */
  @ActivityMethod(name = "cancelShipment")
  void cancelShipment(String orderId);

  /**
   * Records a carrier's event (idempotent per eventId) and moves the shipment to {@code newStatus}
   * (DISPATCHED or DELIVERED) in one locked transaction.
   */
  @ActivityMethod(name = "recordShipmentEvent")
  void recordShipmentEvent(String trackingNumber, CarrierEvent event, String newStatus);

  /**
   * The shipment was not delivered in time: marks it LOST and refunds the customer, once.
   * Idempotency key: (orderId, refundLostShipment). Stock sold stays sold.
   */
  @ActivityMethod(name = "refundLostShipment")
  void refundLostShipment(String orderId);
}
