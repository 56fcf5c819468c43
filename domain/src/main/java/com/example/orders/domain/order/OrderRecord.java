package com.example.orders.domain.order;

import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.ShippingAddress;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** An order row as stored. */
public record OrderRecord(
    String orderId,
    String customerId,
    OrderStatus status,
    BigDecimal total,
    String currency,
    ShippingAddress shippingAddress,
    String requestHash,
    String idempotencyKey,
    OrderFailure failure,
    Long loyaltyPointsAwarded,
    String submittedBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}
