package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.domain.order.StepLedger.StepRecord;
import com.example.orders.domain.order.StepLedger;
import com.example.orders.workflows.order.StepStatus;
import com.example.orders.domain.payment.PaymentRepository;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.security.Caller;
import com.example.orders.domain.shipping.ShipmentRepository;
import com.example.orders.domain.shipping.ShippingService;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Builds order views from PostgreSQL alone, so reads work while Temporal or the workers are down.
 * Steps are derived from the idempotency records; the live view with per-attempt detail is the
 * workflow's {@code progress} query (Web UI, CLI).
 */
@Service
public class OrderViews {

  private final OrderRepository orders;
  private final StepLedger ledger;
  private final ShippingService shipping;
  private final OrderLinks links;
  private final AuditLog audit;

  private final PaymentService payments;

  OrderViews(OrderRepository orders, StepLedger ledger, ShippingService shipping, PaymentService payments,
      OrderLinks links, AuditLog audit) {
    this.payments = payments;
    this.orders = orders;
    this.ledger = ledger;
    this.shipping = shipping;
    this.links = links;
    this.audit = audit;
  }

  /** The order as {@code caller} may see it, if it exists and is theirs (or the caller is an operator). */
  public Optional<OrderView> find(String orderId, Caller caller) {
    return orders.find(orderId)
        .filter(order -> caller.actsFor(order.customerId()))
        .map(order -> toView(order, caller));
  }

  /** The order, if {@code caller} may see it: 404 for another customer's, as for one that does not exist. */
  public OrderView get(String orderId, Caller caller) {
    return find(orderId, caller).orElseThrow(() -> ApiException.notFound("Order " + orderId));
  }

  /** The view of an accepted order whose row is not written yet: PENDING, nothing done. */
  public OrderView accepted(OrderRequest order, String submittedBy) {
    var a = order.shippingAddress();
    return new OrderView(order.orderId(), OrderContract.workflowId(order.orderId()), order.customerId(),
        OrderStatus.PENDING,
        order.lines().stream()
            .map(l -> new OrderView.Line(l.sku(), l.quantity(), money(l.unitPrice()), money(l.lineTotal())))
            .toList(),
        money(order.total()), order.currency(), null,
        SagaStep.IN_ORDER.stream().map(s -> new OrderView.Step(s.activityName(), StepStatus.PENDING, 0)).toList(),
        null, null, new OrderView.Address(a.name(), a.line1(), a.city(), a.postalCode(), a.country()),
        null, submittedBy, null, null, List.of(), links.of(order.orderId()));
  }

  public OrderView.Page page(String customerId, OrderStatus status, int limit, String cursor) {
    OffsetDateTime beforeCreatedAt = null;
    String beforeOrderId = null;
    if (cursor != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
        beforeCreatedAt = OffsetDateTime.parse(parts[0]);
        beforeOrderId = parts[1];
      } catch (RuntimeException e) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
            "cursor must be a nextCursor value returned by this endpoint");
      }
    }
    List<OrderRecord> rows = orders.page(customerId, status, beforeCreatedAt, beforeOrderId, limit + 1);
    boolean more = rows.size() > limit;
    List<OrderRecord> shown = more ? rows.subList(0, limit) : rows;
    String next = null;
    if (more) {
      OrderRecord last = shown.get(shown.size() - 1);
      next = Base64.getUrlEncoder().withoutPadding().encodeToString(
          (last.createdAt() + "|" + last.orderId()).getBytes(StandardCharsets.UTF_8));
    }
    return new OrderView.Page(shown.stream().map(this::toSummary).toList(), next);
  }

  /**
   * Operators see who placed the order and every audit entry; a customer sees only what it did
   * itself (an operator's name or note on its order is internal).
   */
  private OrderView toView(OrderRecord order, Caller caller) {
    List<AuditLog.Entry> entries = audit.about(AuditLog.order(order.orderId()), 20).stream()
        .filter(entry -> caller.isOperator() || entry.principal().equals(caller.subject()))
        .toList();
    String submittedBy = caller.isOperator() || caller.subject().equals(order.submittedBy()) ? order.submittedBy() : null;
    List<OrderView.Line> lines = orders.lines(order.orderId()).stream()
        .map(l -> new OrderView.Line(l.sku(), l.quantity(), money(l.unitPrice()), money(l.lineTotal())))
        .toList();
    var shipment = shipping.findShipment(order.orderId()).map(this::shipment).orElse(null);
    // who decided and why is internal to operators, as in the audit
    var review = orders.findReview(order.orderId())
        .map(r -> new OrderView.Review(r.deadline(), r.outcome(), caller.isOperator() ? r.note() : null,
            caller.isOperator() ? r.decidedBy() : null, r.decidedAt()))
        .orElse(null);
    var address = order.shippingAddress();
    return new OrderView(
        order.orderId(),
        OrderContract.workflowId(order.orderId()),
        order.customerId(),
        order.status(),
        lines,
        money(order.total()),
        order.currency(),
        failure(order.failure()),
        steps(order),
        shipment,
        review,
        new OrderView.Address(address.name(), address.line1(), address.city(), address.postalCode(), address.country()),
        order.loyaltyPointsAwarded(),
        submittedBy,
        order.createdAt(),
        order.updatedAt(),
        entries,
        links.of(order.orderId()));
  }

  /** The shipment with the carrier's events and any refund, as the order view and the carrier webhook show it. */
  public OrderView.Shipment shipment(ShipmentRepository.Shipment s) {
    List<OrderView.ShipmentEvent> events = shipping.events(s.trackingNumber()).stream()
        .map(e -> new OrderView.ShipmentEvent(e.eventId(), e.type(), e.occurredAt(), e.receivedAt()))
        .toList();
    OrderView.Refund refund = "LOST".equals(s.status())
        ? payments.findPayment(s.orderId()).filter(PaymentRepository.Payment::refunded)
            .map(p -> new OrderView.Refund(money(p.amount()), p.refundedAt(), "SHIPMENT_LOST")).orElse(null)
        : null;
    return new OrderView.Shipment(s.trackingNumber(), s.carrier(), s.status(), events, refund);
  }

  private OrderView.Summary toSummary(OrderRecord order) {
    return new OrderView.Summary(order.orderId(), order.customerId(), order.status(), money(order.total()),
        order.currency(), failure(order.failure()), order.createdAt(), order.updatedAt(), links.of(order.orderId()));
  }

  /** Each saga step's state, read from the idempotency records and the recorded failure. */
  List<OrderView.Step> steps(OrderRecord order) {
    Map<String, StepRecord> records = ledger.findAll(order.orderId()).stream()
        .collect(Collectors.toMap(StepRecord::step, Function.identity()));
    OrderStatus status = order.status();
    boolean undoing = status == OrderStatus.COMPENSATING || status == OrderStatus.FAILED
        || status == OrderStatus.CANCELLED;
    OrderFailure failure = order.failure();
    boolean runningShown = false;
    List<OrderView.Step> steps = new ArrayList<>();
    for (SagaStep step : SagaStep.IN_ORDER) {
      StepRecord done = records.get(step.activityName());
      StepRecord undone = step.compensationName() == null ? null : records.get(step.compensationName());
      StepStatus stepStatus;
      int attempts = done == null ? 0 : done.attempt();
      if (done != null && done.tookEffect()) {
        if (undone != null) {
          stepStatus = StepStatus.COMPENSATED;
        } else {
          stepStatus = undoing ? StepStatus.COMPENSATING : StepStatus.COMPLETED;
        }
      } else if (failure != null && step.activityName().equals(failure.step())) {
        stepStatus = StepStatus.FAILED;
        attempts = failure.attempts();
      } else if (undoing || status.isTerminal()) {
        stepStatus = StepStatus.SKIPPED;
      } else if (!runningShown) {
        stepStatus = StepStatus.RUNNING;
        runningShown = true;
      } else {
        stepStatus = StepStatus.PENDING;
      }
      steps.add(new OrderView.Step(step.activityName(), stepStatus, attempts));
    }
    return steps;
  }

  private static OrderView.Failure failure(OrderFailure failure) {
    return failure == null ? null : new OrderView.Failure(failure.step(), failure.reason(), failure.message());
  }

  static java.math.BigDecimal money(java.math.BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN);
  }
}
