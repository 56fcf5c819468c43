package com.example.orders.api.order;

import com.example.orders.audit.AuditLog;
import com.example.orders.order.OrderStatus;
import com.example.orders.order.StepStatus;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * An order as GET /orders/{orderId} shows it (docs/API.md). {@code submittedBy} is the principal
 * that placed it; {@code audit} lists who asked to cancel it, and when, newest first.
 */
public record OrderView(
    String orderId,
    String workflowId,
    String customerId,
    OrderStatus status,
    List<Line> items,
    BigDecimal total,
    String currency,
    Failure failure,
    List<Step> steps,
    Shipment shipment,
    Address shippingAddress,
    Long loyaltyPointsAwarded,
    String submittedBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    List<AuditLog.Entry> audit,
    Map<String, String> links) {

  public record Line(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {}

  public record Failure(String step, String reason, String message) {}

  public record Step(String name, StepStatus status, int attempts) {}

  public record Shipment(String trackingNumber, String carrier, String status) {}

  public record Address(String name, String line1, String city, String postalCode, String country) {}

  /** One entry of GET /orders. */
  public record Summary(
      String orderId,
      String customerId,
      OrderStatus status,
      BigDecimal total,
      String currency,
      Failure failure,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      Map<String, String> links) {}

  public record Page(List<Summary> orders, String nextCursor) {}
}
