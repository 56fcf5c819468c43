package com.example.orders.activities.payment;

import com.example.orders.activities.order.ActivityAttempt;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.workflows.payment.PaymentActivities;
import com.example.orders.workflows.payment.PaymentReceipt;
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
