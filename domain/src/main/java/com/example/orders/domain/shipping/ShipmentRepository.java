package com.example.orders.domain.shipping;

import com.example.orders.workflows.shipping.ShipmentTracking;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ShipmentRepository {

  /** @param deliveryDeadline when the shipment becomes LOST if not delivered; null when it is not tracked from its row */
  public record Shipment(String orderId, String trackingNumber, String carrier, String status,
      OffsetDateTime deliveryDeadline) {
    public boolean cancelled() {
      return "CANCELLED".equals(status);
    }

    /** DELIVERED, LOST or CANCELLED: no carrier event moves it any more (updateStatus keeps the same rule). */
    public boolean isFinal() {
      return !"BOOKED".equals(status) && !"DISPATCHED".equals(status);
    }

    /** What its tracking workflow starts with; only for a shipment tracked from its row (a deadline recorded). */
    public ShipmentTracking tracking() {
      return new ShipmentTracking(orderId, trackingNumber, deliveryDeadline.toInstant().toString());
    }
  }

  /** A carrier's event as recorded. */
  public record Event(String eventId, String type, OffsetDateTime occurredAt, OffsetDateTime receivedAt) {}

  private static final String SELECT =
      "SELECT order_id, tracking_number, carrier, status, delivery_deadline FROM shipments";

  private final JdbcClient jdbc;

  public ShipmentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Shipment> find(String orderId) {
    return jdbc.sql(SELECT + " WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query(ShipmentRepository::mapShipment)
        .optional();
  }

  public Optional<Shipment> findByTrackingNumber(String trackingNumber) {
    return jdbc.sql(SELECT + " WHERE tracking_number = :tracking")
        .param("tracking", trackingNumber)
        .query(ShipmentRepository::mapShipment)
        .optional();
  }

  /** Locks the shipment's row for the rest of the transaction. */
  public Optional<Shipment> lock(String trackingNumber) {
    return jdbc.sql(SELECT + " WHERE tracking_number = :tracking FOR UPDATE")
        .param("tracking", trackingNumber)
        .query(ShipmentRepository::mapShipment)
        .optional();
  }

  /** @return true if the event was new */
  public boolean insertEventIfAbsent(String trackingNumber, String eventId, String type, OffsetDateTime occurredAt) {
    return jdbc.sql("""
            INSERT INTO shipment_events (tracking_number, event_id, type, occurred_at)
            VALUES (:tracking, :eventId, :type, :occurredAt) ON CONFLICT DO NOTHING""")
        .param("tracking", trackingNumber)
        .param("eventId", eventId)
        .param("type", type)
        .param("occurredAt", occurredAt)
        .update() == 1;
  }

  public List<Event> events(String trackingNumber) {
    return jdbc.sql("""
            SELECT event_id, type, occurred_at, received_at FROM shipment_events
            WHERE tracking_number = :tracking ORDER BY received_at, event_id""")
        .param("tracking", trackingNumber)
        .query((rs, n) -> new Event(rs.getString("event_id"), rs.getString("type"),
            rs.getObject("occurred_at", OffsetDateTime.class), rs.getObject("received_at", OffsetDateTime.class)))
        .list();
  }

  /** Moves a tracked shipment on; a final one (DELIVERED, LOST, CANCELLED) stays as it is. */
  public void updateStatus(String trackingNumber, String status) {
    jdbc.sql("""
            UPDATE shipments SET status = :status, status_changed_at = now()
            WHERE tracking_number = :tracking AND status IN ('BOOKED', 'DISPATCHED')""")
        .param("tracking", trackingNumber)
        .param("status", status)
        .update();
  }

  private static Shipment mapShipment(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Shipment(rs.getString("order_id"), rs.getString("tracking_number"), rs.getString("carrier"),
        rs.getString("status"), rs.getObject("delivery_deadline", OffsetDateTime.class));
  }

  /** @param deliveryWithin how long after now it must be delivered; null when it is not tracked */
  public void insertBooked(String orderId, String trackingNumber, String carrier, String country,
      Duration deliveryWithin) {
    jdbc.sql("""
            INSERT INTO shipments (order_id, tracking_number, carrier, country, status, delivery_deadline)
            VALUES (:orderId, :tracking, :carrier, :country, 'BOOKED',
                    now() + make_interval(secs => CAST(:withinSeconds AS double precision)))""")
        .param("orderId", orderId)
        .param("tracking", trackingNumber)
        .param("carrier", carrier)
        .param("country", country)
        .param("withinSeconds", deliveryWithin == null ? null : deliveryWithin.toMillis() / 1000.0, Types.DOUBLE)
        .update();
  }

  /**
   * Booked shipments past their delivery deadline that no carrier event ever moved and the sweep has
   * not handed to their tracking yet, oldest first.
   */
  public List<Shipment> bookedPastDeadline(int limit) {
    return jdbc.sql(SELECT + """
             WHERE status = 'BOOKED' AND delivery_deadline IS NOT NULL AND sweep_started_tracking_at IS NULL
               AND delivery_deadline <= now()
            ORDER BY delivery_deadline LIMIT :limit""")
        .param("limit", limit)
        .query(ShipmentRepository::mapShipment)
        .list();
  }

  /** The sweep has handed it to its tracking workflow: it is not the sweep's any more. */
  public void markSweptIntoTracking(String trackingNumber) {
    jdbc.sql("UPDATE shipments SET sweep_started_tracking_at = now() WHERE tracking_number = :tracking")
        .param("tracking", trackingNumber)
        .update();
  }

  public void markCancelled(String orderId) {
    jdbc.sql("UPDATE shipments SET status = 'CANCELLED', cancelled_at = now() WHERE order_id = :orderId")
        .param("orderId", orderId)
        .update();
  }
}
