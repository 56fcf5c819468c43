package com.example.orders.bench.load;

import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.inventory.ReservationReceipt;
import com.example.orders.workflows.order.ConfirmationReceipt;
import com.example.orders.workflows.order.OrderActivities;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.payment.PaymentActivities;
import com.example.orders.workflows.payment.PaymentReceipt;
import com.example.orders.workflows.shipping.CarrierEvent;
import com.example.orders.workflows.shipping.ShipmentReceipt;
import com.example.orders.workflows.shipping.ShippingActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every activity of the order and shipment workflows, doing nothing: the ceiling runs the real
 * workflow code on them, so its Temporal work is the order's, and no database is touched. An order
 * the bench marks as failing is refused by the carrier, as an AQ address is by the real one, so it
 * runs the same compensations.
 */
final class NoOpOrderSteps implements InventoryActivities, PaymentActivities, ShippingActivities, OrderActivities {

  private final Set<String> refusedByCarrier = ConcurrentHashMap.newKeySet();

  void refuseShipmentOf(String orderId) {
    refusedByCarrier.add(orderId);
  }

  private static int attempt() {
    return Activity.getExecutionContext().getInfo().getAttempt();
  }

  @Override
  public ReservationReceipt reserveInventory(OrderRequest order) {
    return new ReservationReceipt(attempt());
  }

  @Override
  public void releaseInventory(String orderId) {}

  @Override
  public PaymentReceipt chargePayment(String orderId) {
    return new PaymentReceipt(BigDecimal.ZERO, attempt());
  }

  @Override
  public void refundPayment(String orderId) {}

  @Override
  public ShipmentReceipt createShipment(String orderId, Duration deliveryWithin) {
    if (refusedByCarrier.remove(orderId)) {
      throw ApplicationFailure.newNonRetryableFailure("No carrier serves AQ (ceiling)",
          OrderFailureReason.UNDELIVERABLE_ADDRESS, attempt());
    }
    return new ShipmentReceipt("CEIL-" + orderId, "ceiling", attempt());
  }

  @Override
  public void cancelShipment(String orderId) {}

  @Override
  public void recordShipmentEvent(String trackingNumber, CarrierEvent event, String newStatus) {}

  @Override
  public void refundLostShipment(String orderId) {}

  @Override
  public ConfirmationReceipt confirmOrder(String orderId) {
    return new ConfirmationReceipt(0, attempt());
  }

  @Override
  public void markCompensating(OrderRequest order, OrderFailure failure) {}

  @Override
  public void markAwaitingReview(String orderId, String deadline) {}

  @Override
  public void recordReview(String orderId, OrderReview review) {}

  @Override
  public void markCompensated(String orderId, OrderStatus finalStatus, OrderFailure failure) {}
}
