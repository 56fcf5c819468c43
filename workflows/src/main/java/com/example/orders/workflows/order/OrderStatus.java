package com.example.orders.workflows.order;

/** Business status of an order, stored in PostgreSQL and mirrored in the OrderStatus search attribute. */
public enum OrderStatus {
  PENDING,
  RESERVED,
  /** Held after reserveInventory for an operator's decision: stock reserved, no money taken. */
  AWAITING_REVIEW,
  PAID,
  SHIPPED,
  COMPLETED,
  COMPENSATING,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
