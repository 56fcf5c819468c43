package com.example.orders.workflows.shipping;

import java.util.List;

/** A tracked shipment as its workflow sees it: BOOKED, DISPATCHED, DELIVERED or LOST, and the carrier's events. */
public record ShipmentState(String trackingNumber, String status, List<CarrierEvent> events) {
  public static final String BOOKED = "BOOKED";
  public static final String DISPATCHED = "DISPATCHED";
  public static final String DELIVERED = "DELIVERED";
  public static final String LOST = "LOST";
}
