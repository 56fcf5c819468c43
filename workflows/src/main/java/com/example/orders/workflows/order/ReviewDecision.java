package com.example.orders.workflows.order;

/**
 * An operator's decision on an order awaiting review (the workflow's {@code review} update).
 *
 * @param decision APPROVE or REJECT
 * @param note why, free text (may be null)
 * @param decidedBy the principal that decided
 */
public record ReviewDecision(String decision, String note, String decidedBy) {
  public static final String APPROVE = "APPROVE";
  public static final String REJECT = "REJECT";
}
