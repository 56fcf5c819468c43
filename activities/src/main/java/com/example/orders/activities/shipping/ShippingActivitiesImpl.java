package com.example.orders.activities.shipping;

import com.example.orders.activities.order.ActivityAttempt;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.workflows.shipping.CarrierEvent;
import com.example.orders.workflows.shipping.ShipmentReceipt;
import com.example.orders.workflows.shipping.ShippingActivities;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

@Component
public class ShippingActivitiesImpl implements ShippingActivities {

  private final ShippingService shipping;

  public ShippingActivitiesImpl(ShippingService shipping) {
    this.shipping = shipping;
  }

  @Override
  public ShipmentReceipt createShipment(String orderId, Duration deliveryWithin) {
    return ActivityAttempt.run(attempt -> {
      ShippingService.Booking booking = shipping.book(orderId, attempt, deliveryWithin);
      return new ShipmentReceipt(booking.trackingNumber(), booking.carrier(), booking.attempt());
    });
  }

  @Override
  public void cancelShipment(String orderId) {
    ActivityAttempt.runVoid(attempt -> shipping.cancel(orderId, attempt));
  }

  @Override
  public void recordShipmentEvent(String trackingNumber, CarrierEvent event, String newStatus) {
    ActivityAttempt.runVoid(attempt -> shipping.recordEvent(trackingNumber, event.eventId(), event.type(),
        OffsetDateTime.parse(event.occurredAt()), newStatus));
  }

  @Override
  public void refundLostShipment(String orderId) {
    ActivityAttempt.runVoid(attempt -> shipping.markLostAndRefund(orderId, attempt));
  }
}
