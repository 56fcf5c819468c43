package com.example.orders.domain.payment;

import com.example.orders.domain.outbox.Outbox;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.order.BusinessRuleViolation;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.domain.order.StepLedger;
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
  private static final String LOST_SHIPMENT_REFUND = "refundLostShipment";

  private final CustomerRepository customers;
  private final PaymentRepository payments;
  private final OrderRepository orders;
  private final StepLedger ledger;
  private final AuditLog audit;
  private final Outbox outbox;

  public PaymentService(CustomerRepository customers, PaymentRepository payments,
      OrderRepository orders, StepLedger ledger, AuditLog audit, Outbox outbox) {
    this.outbox = outbox;
    this.customers = customers;
    this.payments = payments;
    this.orders = orders;
    this.ledger = ledger;
    this.audit = audit;
  }

  /** The captured charge: the amount and the attempt that made it (amount 0 when fenced off). */
  public record Charge(BigDecimal amount, int attempt) {}

  @Transactional
  public Charge charge(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    Optional<OrderRecord> recorded = orders.find(orderId);
    recorded.ifPresent(order -> order.refuseIfUndone(SagaStep.CHARGE_PAYMENT));
    if (ledger.exists(orderId, REFUND)) {
      return new Charge(BigDecimal.ZERO, 0);
    }
    var previous = ledger.find(orderId, CHARGE);
    if (previous.isPresent()) {
      BigDecimal amount = payments.find(orderId).map(PaymentRepository.Payment::amount).orElse(BigDecimal.ZERO);
      return new Charge(amount, previous.get().attempt());
    }
    OrderRecord order = recorded
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
    refundOnce(orderId, REFUND, attempt);
  }

  /**
   * Refunds the order's captured payment because its shipment was lost, once: idempotency key
   * (orderId, refundLostShipment), under the order's lock, which the caller holds. The order stays
   * COMPLETED, its stock sold.
   */
  @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
  public void refundLostShipment(String orderId, int attempt) {
    refundOnce(orderId, LOST_SHIPMENT_REFUND, attempt);
  }

  /**
   * Credits a captured payment back unless {@code step}'s idempotency record exists, then writes that
   * record (whether money moved). The caller holds the order's lock.
   */
  private void refundOnce(String orderId, String step, int attempt) {
    if (ledger.exists(orderId, step)) {
      return;
    }
    var payment = payments.find(orderId).filter(p -> !p.refunded());
    payment.ifPresent(p -> {
      customers.credit(p.customerId(), p.amount());
      payments.markRefunded(orderId);
      String currency = orders.find(orderId).orElseThrow().currency();
      outbox.orderEvent(orderId, p.customerId(), "PaymentRefunded", java.util.Map.of("amount", Outbox.money(p.amount()),
          "currency", currency, "cause", LOST_SHIPMENT_REFUND.equals(step) ? "SHIPMENT_LOST" : "ORDER_UNDONE"));
    });
    ledger.record(orderId, step, attempt, payment.isPresent());
  }

  public Optional<PaymentRepository.Payment> findPayment(String orderId) {
    return payments.find(orderId);
  }

  public List<Customer> listCustomers() {
    return customers.findAll();
  }

  public Optional<Customer> findCustomer(String customerId) {
    return customers.find(customerId);
  }

  /**
   * The operator's create-or-update, recorded in the audit log with who did it, in the same
   * transaction. A new customer needs both fields.
   */
  @Transactional
  public Customer upsertCustomer(String customerId, String name, BigDecimal balance, String changedBy) {
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
    Customer now = customers.find(customerId).orElseThrow();
    audit.record(changedBy, existing.isEmpty() ? "CUSTOMER_CREATED" : "CUSTOMER_CHANGED", AuditLog.customer(customerId),
        existing.map(before -> "name " + before.name() + " -> " + now.name() + ", balance "
                + before.balance().toPlainString() + " -> " + now.balance().toPlainString())
            .orElse("name " + now.name() + ", balance " + now.balance().toPlainString()));
    return now;
  }
}
