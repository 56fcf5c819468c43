package com.example.orders.domain.order;

/**
 * A step cannot succeed however often it is retried (out of stock, insufficient funds, ...). Thrown
 * inside the step's transaction, so nothing it did is kept; the activity turns it into a
 * non-retryable ApplicationFailure whose type is {@link #reason()}.
 */
public class BusinessRuleViolation extends RuntimeException {
  private final String reason;

  public BusinessRuleViolation(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
