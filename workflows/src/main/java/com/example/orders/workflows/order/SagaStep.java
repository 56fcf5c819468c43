package com.example.orders.workflows.order;

import java.util.List;

/**
 * The saga's forward steps, in order, each with the activity that undoes it (none for the pivot).
 * The names are the activity type names, so the API, the database and the Web UI agree.
 */
public enum SagaStep {
  RESERVE_INVENTORY("reserveInventory", "releaseInventory"),
  CHARGE_PAYMENT("chargePayment", "refundPayment"),
  CREATE_SHIPMENT("createShipment", "cancelShipment"),
  CONFIRM_ORDER("confirmOrder", null);

  public static final List<SagaStep> IN_ORDER = List.of(values());

  private final String activityName;
  private final String compensationName;

  SagaStep(String activityName, String compensationName) {
    this.activityName = activityName;
    this.compensationName = compensationName;
  }

  public String activityName() {
    return activityName;
  }

  /** Name of the compensating activity, or null for the pivot step. */
  public String compensationName() {
    return compensationName;
  }
}
