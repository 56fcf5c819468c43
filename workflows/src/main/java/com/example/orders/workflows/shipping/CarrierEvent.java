package com.example.orders.workflows.shipping;

/**
 * What a carrier reports about a shipment (POST /shipments/{trackingNumber}/events).
 *
 * @param eventId the carrier's id of the event: the same id again changes nothing
 * @param type DISPATCHED or DELIVERED
 * @param occurredAt when it happened, ISO-8601, as the carrier says
 */
public record CarrierEvent(String eventId, String type, String occurredAt) {}
