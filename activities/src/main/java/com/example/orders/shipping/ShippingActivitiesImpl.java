package com.example.orders.shipping;

import com.example.orders.order.ActivityAttempt;
import org.springframework.stereotype.Component;

@Component
public class ShippingActivitiesImpl implements ShippingActivities {

  private final ShippingService shipping;
  private final ActivityAttempt attempts;

  public ShippingActivitiesImpl(ShippingService shipping, ActivityAttempt attempts) {
    this.shipping = shipping;
    this.attempts = attempts;
  }

  @Override
  public ShipmentReceipt createShipment(String orderId) {
    return attempts.run(orderId, attempt -> {
      ShippingService.Booking booking = shipping.book(orderId, attempt);
      return new ShipmentReceipt(booking.trackingNumber(), booking.carrier(), booking.attempt());
    });
  }

  @Override
  public void cancelShipment(String orderId) {
    attempts.runVoid(orderId, attempt -> shipping.cancel(orderId, attempt));
  }
}
