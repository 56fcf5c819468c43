package com.example.orders.domain.payment;

import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class PaymentRepository {

  public record Payment(String orderId, String customerId, BigDecimal amount, boolean refunded,
      java.time.OffsetDateTime refundedAt) {}

  private final JdbcClient jdbc;

  public PaymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Payment> find(String orderId) {
    return jdbc.sql("SELECT order_id, customer_id, amount, status, refunded_at FROM payments WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, n) -> new Payment(rs.getString("order_id"), rs.getString("customer_id"),
            rs.getBigDecimal("amount"), "REFUNDED".equals(rs.getString("status")),
            rs.getObject("refunded_at", java.time.OffsetDateTime.class)))
        .optional();
  }

  public void insertCaptured(String orderId, String customerId, BigDecimal amount) {
    jdbc.sql("INSERT INTO payments (order_id, customer_id, amount, status) VALUES (:orderId, :customerId, :amount, 'CAPTURED')")
        .param("orderId", orderId)
        .param("customerId", customerId)
        .param("amount", amount)
        .update();
  }

  public void markRefunded(String orderId) {
    jdbc.sql("UPDATE payments SET status = 'REFUNDED', refunded_at = now() WHERE order_id = :orderId")
        .param("orderId", orderId)
        .update();
  }
}
