package com.example.orders.payment;

import com.example.orders.order.ActivityAttempt;
import org.springframework.stereotype.Component;

@Component
public class PaymentActivitiesImpl implements PaymentActivities {

  private final PaymentService payments;
  private final ActivityAttempt attempts;

  public PaymentActivitiesImpl(PaymentService payments, ActivityAttempt attempts) {
    this.payments = payments;
    this.attempts = attempts;
  }

  @Override
  public PaymentReceipt chargePayment(String orderId) {
    return attempts.run(orderId, attempt -> {
      PaymentService.Charge charge = payments.charge(orderId, attempt);
      return new PaymentReceipt(charge.amount(), charge.attempt());
    });
  }

  @Override
  public void refundPayment(String orderId) {
    attempts.runVoid(orderId, attempt -> payments.refund(orderId, attempt));
  }
}
