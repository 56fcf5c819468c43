package com.example.orders.api.order;

import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.StepStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * An order as GET /orders/{orderId} shows it (docs/API.md). {@code submittedBy} is the principal
 * that placed it; {@code audit} lists who asked to cancel it, and when, newest first.
 */
@Schema(name = "Order", description = "An order: its lines, status, saga steps, failure, shipment and links")
public record OrderView(
    @Schema(example = "0f6b1a80-a2c0-4649-8262-eaf54eca7974") String orderId,
    @Schema(example = "order-0f6b1a80-a2c0-4649-8262-eaf54eca7974") String workflowId,
    @Schema(example = "user_1") String customerId,
    OrderStatus status,
    List<Line> items,
    @Schema(example = "100.00") BigDecimal total,
    @Schema(example = "USD") String currency,
    @Schema(nullable = true, description = "Set once the order is undone") Failure failure,
    List<Step> steps,
    @Schema(nullable = true, description = "Set once a shipment was booked") Shipment shipment,
    @Schema(nullable = true, description = "Set when the order needed an operator's review (total at or above the threshold)")
    Review review,
    Address shippingAddress,
    @Schema(nullable = true, description = "Set at confirmation", example = "100") Long loyaltyPointsAwarded,
    @Schema(nullable = true, description = "The principal that placed it (shown to operators and to that principal)",
        example = "user_1") String submittedBy,
    @Schema(nullable = true, description = "Null only while the order's row is being written") OffsetDateTime createdAt,
    @Schema(nullable = true) OffsetDateTime updatedAt,
    @Schema(description = "Who asked for what on this order, newest first (a customer sees its own entries)")
    List<AuditLog.Entry> audit,
    @Schema(description = "self, and temporalUi: the order's workflow in the Temporal Web UI") Map<String, String> links) {

  @Schema(name = "OrderLine")
  public record Line(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {}

  @Schema(name = "OrderFailure", description = "Why an order was undone (FAILED or CANCELLED)")
  public record Failure(
      @Schema(nullable = true, description = "The step that failed; null for a cancel", example = "chargePayment") String step,
      @Schema(description = "Why the order was undone", example = "INSUFFICIENT_FUNDS", allowableValues = {
          "OUT_OF_STOCK", "INSUFFICIENT_FUNDS", "UNDELIVERABLE_ADDRESS", "UNKNOWN_SKU", "UNKNOWN_CUSTOMER",
          "STEP_TIMED_OUT", "STEP_FAILED", "CANCELLED", "REVIEW_REJECTED", "REVIEW_EXPIRED"}) String reason,
      @Schema(example = "Balance 200.00 does not cover 250.00") String message) {}

  @Schema(name = "OrderReview", description = "An operator's review of a large order: until when it waits, and how it ended")
  public record Review(
      @Schema(description = "Undone as REVIEW_EXPIRED if nobody decides by then") OffsetDateTime deadline,
      @Schema(nullable = true, description = "Null while waiting; CANCELLED when the order was cancelled before a decision",
          allowableValues = {"APPROVED", "REJECTED", "EXPIRED", "CANCELLED"})
      String outcome,
      @Schema(nullable = true, description = "The operator's note (shown to operators)", example = "called the customer: genuine")
      String note,
      @Schema(nullable = true, description = "Who decided (shown to operators)", example = "operator") String decidedBy,
      @Schema(nullable = true) OffsetDateTime decidedAt) {}

  @Schema(name = "OrderStep", description = "One saga step as the order's records show it")
  public record Step(String name, StepStatus status, int attempts) {}

  @Schema(name = "Shipment", description = "The order's shipment; after confirmation it is tracked until delivery")
  public record Shipment(
      @Schema(example = "TRK-1A2B3C4D-5E6F") String trackingNumber,
      @Schema(example = "Demo Parcel") String carrier,
      @Schema(description = "BOOKED -> DISPATCHED -> DELIVERED from the carrier's events; LOST (and refunded) when "
          + "not delivered by the delivery deadline; CANCELLED when the order was undone",
          allowableValues = {"BOOKED", "DISPATCHED", "DELIVERED", "LOST", "CANCELLED"}) String status,
      @Schema(description = "What the carrier reported, in the order it arrived") List<ShipmentEvent> events,
      @Schema(nullable = true, description = "Set when the shipment was lost and the customer refunded") Refund refund) {}

  @Schema(name = "ShipmentEvent")
  public record ShipmentEvent(
      @Schema(example = "evt-1") String eventId,
      @Schema(allowableValues = {"DISPATCHED", "DELIVERED"}) String type,
      OffsetDateTime occurredAt,
      OffsetDateTime receivedAt) {}

  @Schema(name = "Refund", description = "Money given back to the customer after the order completed")
  public record Refund(@Schema(example = "600.00") BigDecimal amount, OffsetDateTime refundedAt,
      @Schema(example = "SHIPMENT_LOST") String reason) {}

  @Schema(name = "ShippingAddress")
  public record Address(String name, String line1, String city, String postalCode, String country) {}

  /** One entry of GET /orders. */
  @Schema(name = "OrderSummary")
  public record Summary(
      String orderId,
      String customerId,
      OrderStatus status,
      BigDecimal total,
      String currency,
      @Schema(nullable = true) Failure failure,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      Map<String, String> links) {}

  @Schema(name = "OrderPage", description = "Orders newest first; nextCursor is null on the last page")
  public record Page(List<Summary> orders, @Schema(nullable = true) String nextCursor) {}
}
