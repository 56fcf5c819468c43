package com.example.orders.workflows.shipping;

/**
 * Input of ShipmentWorkflow: the order's shipment, tracked until delivery.
 *
 * @param deliveryDeadline ISO-8601: not delivered by then, the shipment is LOST and refunded
 */
public record ShipmentTracking(String orderId, String trackingNumber, String deliveryDeadline) {}
