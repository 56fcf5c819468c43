package com.example.orders.domain.shipping;

import com.example.orders.domain.outbox.Outbox;
import java.util.Map;
import com.example.orders.domain.order.BusinessRuleViolation;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.domain.order.StepLedger;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShipmentRepository.Shipment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Shipment booking with the built-in carrier, which is a local table: no remote call under lock. */
@Service
public class ShippingService {

  private static final String BOOK = SagaStep.CREATE_SHIPMENT.activityName();
  private static final String CANCEL = SagaStep.CREATE_SHIPMENT.compensationName();

  private final ShipmentRepository shipments;
  private final OrderRepository orders;
  private final StepLedger ledger;
  private final CarrierProperties carrier;

  private final PaymentService payments;
  private final Outbox outbox;

  public ShippingService(ShipmentRepository shipments, OrderRepository orders, StepLedger ledger,
      CarrierProperties carrier, PaymentService payments, Outbox outbox) {
    this.outbox = outbox;
    this.payments = payments;
    this.shipments = shipments;
    this.orders = orders;
    this.ledger = ledger;
    this.carrier = carrier;
  }

  /** The booking and the attempt that made it; an empty tracking number when fenced off. */
  public record Booking(String trackingNumber, String carrier, int attempt) {}

  /** @param deliveryWithin how long the parcel may take from now before it is LOST; null: not tracked */
  @Transactional
  public Booking book(String orderId, int attempt, Duration deliveryWithin) {
    ledger.lockOrder(orderId);
    Optional<OrderRecord> recorded = orders.find(orderId);
    recorded.ifPresent(order -> order.refuseIfUndone(SagaStep.CREATE_SHIPMENT));
    if (ledger.exists(orderId, CANCEL)) {
      return new Booking(null, carrier.name(), 0);
    }
    var previous = ledger.find(orderId, BOOK);
    if (previous.isPresent()) {
      Shipment shipment = shipments.find(orderId).orElseThrow();
      return new Booking(shipment.trackingNumber(), shipment.carrier(), previous.get().attempt());
    }
    OrderRecord order = recorded
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " is not recorded yet"));
    String country = order.shippingAddress().country();
    if (!carrier.supportedCountries().contains(country)) {
      throw new BusinessRuleViolation(OrderFailureReason.UNDELIVERABLE_ADDRESS,
          carrier.name() + " does not deliver to " + country + " (delivers to "
              + String.join(", ", carrier.supportedCountries().stream().sorted().toList()) + ")");
    }
    String trackingNumber = "TRK-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase();
    shipments.insertBooked(orderId, trackingNumber, carrier.name(), country, deliveryWithin);
    ledger.record(orderId, BOOK, attempt, true);
    orders.updateStatus(orderId, OrderStatus.SHIPPED);
    return new Booking(trackingNumber, carrier.name(), attempt);
  }

  /** Cancels a booked shipment; a no-op if nothing was booked. */
  @Transactional
  public void cancel(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    if (ledger.exists(orderId, CANCEL)) {
      return;
    }
    Optional<Shipment> booked = shipments.find(orderId).filter(s -> !s.cancelled());
    booked.ifPresent(s -> shipments.markCancelled(orderId));
    ledger.record(orderId, CANCEL, attempt, booked.isPresent());
  }

  public Optional<Shipment> findShipment(String orderId) {
    return shipments.find(orderId);
  }

  public Optional<Shipment> findByTrackingNumber(String trackingNumber) {
    return shipments.findByTrackingNumber(trackingNumber);
  }

  /** Booked shipments past their deadline without a single carrier event: the deadline sweep's work. */
  public List<Shipment> bookedPastDeadline(int limit) {
    return shipments.bookedPastDeadline(limit);
  }

  /** Its tracking runs (the sweep started it, or found it started): the next sweeps leave it alone. */
  public void markSweptIntoTracking(String trackingNumber) {
    shipments.markSweptIntoTracking(trackingNumber);
  }

  public List<ShipmentRepository.Event> events(String trackingNumber) {
    return shipments.events(trackingNumber);
  }

  /**
   * Records a carrier's event, once per eventId, and moves the shipment to {@code newStatus}, under
   * the shipment's row lock. The workflow has already decided that the move is allowed.
   */
  @Transactional
  public void recordEvent(String trackingNumber, String eventId, String type, OffsetDateTime occurredAt,
      String newStatus) {
    Shipment shipment = shipments.lock(trackingNumber)
        .orElseThrow(() -> new IllegalStateException("no shipment " + trackingNumber));
    if (shipments.insertEventIfAbsent(trackingNumber, eventId, type, occurredAt)) {
      shipments.updateStatus(trackingNumber, newStatus);
      String event = "DELIVERED".equals(type) ? "ShipmentDelivered" : "ShipmentDispatched";
      outbox.orderEvent(shipment.orderId(), customerOf(shipment.orderId()), event, Map.of("trackingNumber", trackingNumber,
          "carrier", shipment.carrier(), "occurredAt", occurredAt.toInstant().toString()));
    }
  }

  /** Not delivered in time: LOST, and the customer refunded once, in one transaction under the order's lock. */
  @Transactional
  public void markLostAndRefund(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    Shipment shipment = shipments.find(orderId).orElseThrow(() -> new IllegalStateException("no shipment for " + orderId));
    if (!"LOST".equals(shipment.status())) {
      shipments.updateStatus(shipment.trackingNumber(), "LOST");
      outbox.orderEvent(orderId, customerOf(orderId), "ShipmentLost",
          Map.of("trackingNumber", shipment.trackingNumber(), "carrier", shipment.carrier()));
    }
    payments.refundLostShipment(orderId, attempt);
  }

  private String customerOf(String orderId) {
    return orders.find(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId)).customerId();
  }
}
