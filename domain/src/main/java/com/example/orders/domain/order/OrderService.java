package com.example.orders.domain.order;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.outbox.Outbox;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.SagaStep;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The order's own steps: confirmation (the pivot) and recording the outcome of an undo. */
@Service
public class OrderService {

  private static final Logger log = LoggerFactory.getLogger(OrderService.class);
  private static final String CONFIRM = SagaStep.CONFIRM_ORDER.activityName();

  private final OrderRepository orders;
  private final StepLedger ledger;
  private final InventoryService inventory;
  private final LoyaltyProgram loyalty;
  private final OrderMetrics metrics;
  private final Outbox outbox;

  public OrderService(OrderRepository orders, StepLedger ledger, InventoryService inventory,
      LoyaltyProgram loyalty, OrderMetrics metrics, Outbox outbox) {
    this.outbox = outbox;
    this.orders = orders;
    this.ledger = ledger;
    this.inventory = inventory;
    this.loyalty = loyalty;
    this.metrics = metrics;
  }

  /**
   * Records a submitted order and its lines in one transaction, unless already recorded (by an
   * earlier attempt or by the workflow's first step).
   *
   * @param submittedBy the principal that placed it; its Idempotency-Key is scoped to it
   */
  @Transactional
  public void record(OrderRequest order, String idempotencyKey, String submittedBy) {
    orders.insertIfAbsent(order, idempotencyKey, submittedBy);
  }

  public record Confirmation(long loyaltyPointsAwarded, int attempt) {}

  /** Reserved stock becomes sold, the order COMPLETED, and loyalty points are awarded. */
  @Transactional
  public Confirmation confirm(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    var previous = ledger.find(orderId, CONFIRM);
    if (previous.isPresent()) {
      long points = orders.find(orderId).map(OrderRecord::loyaltyPointsAwarded).orElse(0L);
      return new Confirmation(points, previous.get().attempt());
    }
    OrderRecord order = orders.find(orderId)
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " is not recorded yet"));
    order.refuseIfUndone(SagaStep.CONFIRM_ORDER);
    inventory.consumeReservation(orderId);
    long points = LoyaltyProgram.pointsFor(order.total());
    try {
      loyalty.award(order.customerId(), points);
    } catch (RuntimeException e) {
      // only the savepoint was rolled back: the order is confirmed without points
      log.warn("Loyalty points for order {} not awarded: {}", orderId, e.getMessage());
      points = 0;
    }
    orders.completeWithLoyaltyPoints(orderId, points);
    ledger.record(orderId, CONFIRM, attempt, true);
    outbox.orderEvent(orderId, order.customerId(), "OrderCompleted", Map.of(
        "total", Outbox.money(order.total()), "currency", order.currency(), "loyaltyPointsAwarded", points));
    metrics.completed();
    return new Confirmation(points, attempt);
  }

  /**
   * Records that the order is being undone and why; records the order itself if no step ever
   * managed to (a reserve that kept failing transiently). The first undo recorded stands: a lost
   * workflow task runs the undo again, and an order already FAILED must not become COMPENSATING.
   */
  @Transactional
  public void markCompensating(OrderRequest order, OrderFailure failure) {
    ledger.lockOrder(order.orderId());
    orders.insertIfAbsent(order, null, null);
    if (!orders.find(order.orderId()).orElseThrow().undoBegun()) {
      orders.updateStatusAndFailure(order.orderId(), OrderStatus.COMPENSATING, failure);
    }
  }

  /** The order waits for an operator: AWAITING_REVIEW, with its deadline. A repeat changes nothing. */
  @Transactional
  public void markAwaitingReview(String orderId, String deadline) {
    ledger.lockOrder(orderId);
    orders.insertReviewIfAbsent(orderId, OffsetDateTime.parse(deadline));
    OrderRecord order = orders.find(orderId).orElseThrow(
        () -> new IllegalStateException("order " + orderId + " has no row yet; reserveInventory writes it"));
    if (order.status() == OrderStatus.RESERVED) {
      orders.updateStatus(orderId, OrderStatus.AWAITING_REVIEW);
      outbox.orderEvent(orderId, order.customerId(), "OrderAwaitingReview", Map.of(
          "total", Outbox.money(order.total()), "currency", order.currency(), "reviewDeadline", deadline));
    }
  }

  /** How the review ended (the first outcome stands); an approved order is RESERVED again, on its way. */
  @Transactional
  public void recordReview(String orderId, OrderReview review) {
    ledger.lockOrder(orderId);
    orders.decideReview(orderId, review);
    boolean waiting = orders.find(orderId).map(o -> o.status() == OrderStatus.AWAITING_REVIEW).orElse(false);
    if (waiting && OrderReview.APPROVED.equals(review.outcome())) {
      orders.updateStatus(orderId, OrderStatus.RESERVED);
    }
  }

  @Transactional
  public void markCompensated(String orderId, OrderStatus finalStatus, OrderFailure failure) {
    if (finalStatus != OrderStatus.FAILED && finalStatus != OrderStatus.CANCELLED) {
      throw new IllegalArgumentException("an undone order ends FAILED or CANCELLED, not " + finalStatus);
    }
    ledger.lockOrder(orderId);
    OrderRecord order = orders.find(orderId)
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " is not recorded yet"));
    if (order.status().isTerminal()) {
      return; // a retry after the commit, or an undo run again: the first outcome stands, announced once
    }
    // The undo ends as markCompensating recorded it began, even if a run again took another path there.
    OrderFailure outcome = order.failure() != null ? order.failure() : failure;
    OrderStatus endsAs = order.failure() == null ? finalStatus
        : OrderFailureReason.CANCELLED.equals(outcome.reason()) ? OrderStatus.CANCELLED : OrderStatus.FAILED;
    orders.updateStatusAndFailure(orderId, endsAs, outcome);
    if (endsAs == OrderStatus.CANCELLED) {
      orders.closeWaitingReviewAsCancelled(orderId); // a cancel can overtake a review
    }
    metrics.undone(endsAs, outcome);
    Map<String, Object> fields = new HashMap<>();
    fields.put("reason", outcome == null ? null : outcome.reason());
    if (endsAs == OrderStatus.FAILED) {
      fields.put("failedStep", outcome == null ? null : outcome.step());
      fields.put("message", outcome == null ? null : outcome.message());
    }
    outbox.orderEvent(orderId, order.customerId(),
        endsAs == OrderStatus.FAILED ? "OrderFailed" : "OrderCancelled", fields);
  }
}
