package com.example.orders.payment;

import com.example.orders.order.ActivityAttempt;
import org.springframework.stereotype.Component;

@Component
public class PaymentActivitiesImpl implements PaymentActivities {

  private final PaymentService payments;

  public PaymentActivitiesImpl(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public PaymentReceipt chargePayment(String orderId) {
    return ActivityAttempt.run(attempt -> {
      PaymentService.Charge charge = payments.charge(orderId, attempt);
      return new PaymentReceipt(charge.amount(), charge.attempt());
    });
  }

  @Override
  public void refundPayment(String orderId) {
    ActivityAttempt.runVoid(attempt -> payments.refund(orderId, attempt));
  }
}
