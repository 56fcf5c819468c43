package com.example.orders.workflows.order;

/**
 * How an order's review ended, as recorded in the order's row and returned by the review update.
 *
 * @param outcome APPROVED, REJECTED or EXPIRED
 * @param note the operator's note (null when expired)
 * @param decidedBy the principal that decided (null when expired)
 * @param decidedAt when, ISO-8601 (workflow time; the deadline when expired)
 */
public record OrderReview(String outcome, String note, String decidedBy, String decidedAt) {
  public static final String APPROVED = "APPROVED";
  public static final String REJECTED = "REJECTED";
  public static final String EXPIRED = "EXPIRED";
}
