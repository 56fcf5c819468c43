package com.example.orders.shipping;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ShipmentRepository {

  public record Shipment(String orderId, String trackingNumber, String carrier, boolean cancelled) {}

  private final JdbcClient jdbc;

  public ShipmentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Shipment> find(String orderId) {
    return jdbc.sql("SELECT order_id, tracking_number, carrier, status FROM shipments WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, n) -> new Shipment(rs.getString("order_id"), rs.getString("tracking_number"),
            rs.getString("carrier"), "CANCELLED".equals(rs.getString("status"))))
        .optional();
  }

  public void insertBooked(String orderId, String trackingNumber, String carrier, String country) {
    jdbc.sql("""
            INSERT INTO shipments (order_id, tracking_number, carrier, country, status)
            VALUES (:orderId, :tracking, :carrier, :country, 'BOOKED')""")
        .param("orderId", orderId)
        .param("tracking", trackingNumber)
        .param("carrier", carrier)
        .param("country", country)
        .update();
  }

  public void markCancelled(String orderId) {
    jdbc.sql("UPDATE shipments SET status = 'CANCELLED', cancelled_at = now() WHERE order_id = :orderId")
        .param("orderId", orderId)
        .update();
  }
}
