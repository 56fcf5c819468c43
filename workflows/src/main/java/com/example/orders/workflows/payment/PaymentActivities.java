package com.example.orders.workflows.payment;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface PaymentActivities {

  /**
   * Debits the order total (as recorded on the order row) from the customer's balance and records
   * a captured payment. Idempotency key: (orderId, chargePayment). Refused as a no-op once the order
   * was refunded.
   *
   * @throws io.temporal.failure.ApplicationFailure INSUFFICIENT_FUNDS or UNKNOWN_CUSTOMER
   */
  @ActivityMethod(name = "chargePayment")
  PaymentReceipt chargePayment(String orderId);

  /**
   * Credits a captured payment back. Idempotency key: (orderId, refundPayment). A no-op when
   * nothing was charged.
   */
  @ActivityMethod(name = "refundPayment")
  void refundPayment(String orderId);
}
