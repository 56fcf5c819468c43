package com.example.orders.payment;

import com.example.orders.order.BusinessRuleViolation;
import com.example.orders.order.OrderFailureReason;
import com.example.orders.order.OrderRecord;
import com.example.orders.order.OrderRepository;
import com.example.orders.order.OrderStatus;
import com.example.orders.order.SagaStep;
import com.example.orders.order.StepLedger;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Charges and refunds, plus the customer operations of the API. */
@Service
public class PaymentService {

  private static final String CHARGE = SagaStep.CHARGE_PAYMENT.activityName();
  private static final String REFUND = SagaStep.CHARGE_PAYMENT.compensationName();

  private final CustomerRepository customers;
  private final PaymentRepository payments;
  private final OrderRepository orders;
  private final StepLedger ledger;

  public PaymentService(CustomerRepository customers, PaymentRepository payments,
      OrderRepository orders, StepLedger ledger) {
    this.customers = customers;
    this.payments = payments;
    this.orders = orders;
    this.ledger = ledger;
  }

  /** The captured charge: the amount and the attempt that made it (amount 0 when fenced off). */
  public record Charge(BigDecimal amount, int attempt) {}

  @Transactional
  public Charge charge(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    if (ledger.exists(orderId, REFUND)) {
      return new Charge(BigDecimal.ZERO, 0);
    }
    var previous = ledger.find(orderId, CHARGE);
    if (previous.isPresent()) {
      BigDecimal amount = payments.find(orderId).map(PaymentRepository.Payment::amount).orElse(BigDecimal.ZERO);
      return new Charge(amount, previous.get().attempt());
    }
    OrderRecord order = orders.find(orderId)
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " is not recorded yet"));
    if (!customers.debitIfCovered(order.customerId(), order.total())) {
      Optional<Customer> customer = customers.find(order.customerId());
      if (customer.isEmpty()) {
        throw new BusinessRuleViolation(OrderFailureReason.UNKNOWN_CUSTOMER,
            "Unknown customer " + order.customerId());
      }
      throw new BusinessRuleViolation(OrderFailureReason.INSUFFICIENT_FUNDS,
          "Balance " + customer.get().balance().toPlainString() + " does not cover "
              + order.total().toPlainString());
    }
    payments.insertCaptured(orderId, order.customerId(), order.total());
    ledger.record(orderId, CHARGE, attempt, true);
    orders.updateStatus(orderId, OrderStatus.PAID);
    return new Charge(order.total(), attempt);
  }

  /** Credits a captured payment back; a no-op if nothing was charged. */
  @Transactional
  public void refund(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    if (ledger.exists(orderId, REFUND)) {
      return;
    }
    var payment = payments.find(orderId).filter(p -> !p.refunded());
    payment.ifPresent(p -> {
      customers.credit(p.customerId(), p.amount());
      payments.markRefunded(orderId);
    });
    ledger.record(orderId, REFUND, attempt, payment.isPresent());
  }

  public List<Customer> listCustomers() {
    return customers.findAll();
  }

  public Optional<Customer> findCustomer(String customerId) {
    return customers.find(customerId);
  }

  /** The operator's create-or-update. A new customer needs both fields. */
  @Transactional
  public Customer upsertCustomer(String customerId, String name, BigDecimal balance) {
    Optional<Customer> existing = customers.lock(customerId);
    if (existing.isEmpty()) {
      if (name == null || balance == null) {
        throw new IllegalArgumentException("a new customer needs name and balance");
      }
      customers.insert(customerId, name, balance);
    } else {
      customers.update(customerId, name != null ? name : existing.get().name(),
          balance != null ? balance : existing.get().balance());
    }
    return customers.find(customerId).orElseThrow();
  }
}
