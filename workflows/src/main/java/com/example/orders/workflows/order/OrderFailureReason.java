package com.example.orders.workflows.order;

/**
 * Types of the non-retryable ApplicationFailures a step may throw. A failure of any other type is
 * treated as transient and retried.
 */
public final class OrderFailureReason {
  public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
  public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
  public static final String UNDELIVERABLE_ADDRESS = "UNDELIVERABLE_ADDRESS";
  public static final String UNKNOWN_SKU = "UNKNOWN_SKU";
  public static final String UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
  /** A step kept failing for a transient reason until its time budget ran out. */
  public static final String STEP_TIMED_OUT = "STEP_TIMED_OUT";
  public static final String CANCELLED = "CANCELLED";
  /** An operator rejected the order in review. */
  public static final String REVIEW_REJECTED = "REVIEW_REJECTED";
  /** Nobody decided before the review deadline. */
  public static final String REVIEW_EXPIRED = "REVIEW_EXPIRED";
  /** Rejection of a review decision for an order that is not waiting for one (or got one already). */
  public static final String NOT_AWAITING_REVIEW = "ORDER_NOT_AWAITING_REVIEW";
  /** Rejection of a cancel request once confirmOrder has started or the order is terminal. */
  public static final String NOT_CANCELLABLE = "ORDER_NOT_CANCELLABLE";

  private OrderFailureReason() {}
}
