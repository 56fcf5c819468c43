package com.example.orders.workflows.order;

import static com.example.orders.workflows.order.OrderWorkflowTest.assertFailsWith;
import static com.example.orders.workflows.order.OrderWorkflowTest.resultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.withSettings;

import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.inventory.ReservationReceipt;
import com.example.orders.workflows.payment.PaymentActivities;
import com.example.orders.workflows.payment.PaymentReceipt;
import com.example.orders.workflows.shipping.ShipmentReceipt;
import com.example.orders.workflows.shipping.ShippingActivities;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.InOrder;

/**
 * Operator review in {@link OrderWorkflowImpl}: approve, reject, expiry, cancel while waiting. On the
 * test server in real time; the expiry test uses a deadline of two seconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OrderReviewWorkflowTest {

  private static final String TASK_QUEUE = "review-test";
  private static final String ORDER_ID = "1002";
  private static final String WORKFLOW_ID = OrderContract.workflowId(ORDER_ID);
  private static final OrderRequest REQUEST = new OrderRequest(ORDER_ID, "cust-43",
      List.of(new OrderLine("SKU-LAMP", 2, new BigDecimal("300.00"))),
      new ShippingAddress("Ada Lovelace", "12 Analytical St", "London", "N1 9GU", "GB"),
      new BigDecimal("600.00"), OrderContract.CURRENCY, "hash-1002");
  /** REQUEST as the api marks it for review: within a day. */
  private static final OrderRequest TO_REVIEW = reviewWithin(Duration.ofHours(24));

  private InventoryActivities inventory;
  private PaymentActivities payment;
  private ShippingActivities shipping;
  private OrderActivities orders;
  private TestWorkflowEnvironment testEnv;
  private WorkflowClient client;
  private final List<Gate> gates = new ArrayList<>();

  @BeforeEach
  void setUp() {
    testEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    for (var key : List.of(OrderContract.ORDER_STATUS.getName(), OrderContract.CUSTOMER_ID.getName())) {
      testEnv.registerSearchAttribute(key, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    testEnv.registerSearchAttribute(OrderContract.ORDER_TOTAL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE);
    client = testEnv.getWorkflowClient();
    Worker worker = testEnv.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
    inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
    payment = mock(PaymentActivities.class, withSettings().withoutAnnotations());
    shipping = mock(ShippingActivities.class, withSettings().withoutAnnotations());
    orders = mock(OrderActivities.class, withSettings().withoutAnnotations());
    doReturn(new ReservationReceipt(1)).when(inventory).reserveInventory(any());
    doReturn(new PaymentReceipt(new BigDecimal("600.00"), 1)).when(payment).chargePayment(anyString());
    doReturn(new ShipmentReceipt("TRK-2", "Demo Parcel", 1)).when(shipping).createShipment(anyString(), any());
    doReturn(new ConfirmationReceipt(600, 1)).when(orders).confirmOrder(anyString());
    worker.registerActivitiesImplementations(inventory, payment, shipping, orders);
    testEnv.start();
  }

  @AfterEach
  void stop() {
    gates.forEach(Gate::open);
    testEnv.close();
  }


  @Test
  void anApprovedOrderGoesOnToPaymentAndRecordsWhoDecided() throws InterruptedException {
    Gate charge = blockCharge();
    OrderWorkflow workflow = startOrder(TO_REVIEW);
    awaitStatus(workflow, OrderStatus.AWAITING_REVIEW);
    verify(orders, timeout(5_000)).markAwaitingReview(eq(ORDER_ID), anyString());
    verifyNoInteractions(payment); // no money taken while it waits

    OrderReview review = workflow.review(new ReviewDecision(ReviewDecision.APPROVE, "known customer", "op-1"));

    assertThat(review.outcome()).isEqualTo(OrderReview.APPROVED);
    assertThat(review.decidedBy()).isEqualTo("op-1");
    assertThat(review.note()).isEqualTo("known customer");
    verify(orders).recordReview(ORDER_ID, review);
    charge.awaitEntered();
    // decided already: a second decision is refused by the validator, and changes nothing
    assertThrows(WorkflowUpdateException.class,
        () -> workflow.review(new ReviewDecision(ReviewDecision.REJECT, "too late", "op-2")));
    charge.open();
    assertThat(resultOf(workflow).status()).isEqualTo(OrderStatus.COMPLETED);
    verify(orders, times(1)).recordReview(anyString(), any());
    verifyNoCompensation();
  }

  @Test
  void aRejectedOrderIsUndoneWithoutEverTakingMoney() {
    OrderWorkflow workflow = startOrder(TO_REVIEW);
    awaitStatus(workflow, OrderStatus.AWAITING_REVIEW);

    workflow.review(new ReviewDecision(ReviewDecision.REJECT, "address on a watch list", "op-1"));

    assertFailsWith(workflow, OrderFailureReason.REVIEW_REJECTED);
    OrderFailure failure = workflow.progress().failure();
    assertThat(failure.step()).isNull();
    assertThat(failure.message()).as("customers read it: no operator, no note").isEqualTo("Rejected in review");
    InOrder inOrder = inOrder(inventory, orders);
    inOrder.verify(inventory).reserveInventory(TO_REVIEW);
    inOrder.verify(orders).markAwaitingReview(eq(ORDER_ID), anyString());
    inOrder.verify(orders).recordReview(eq(ORDER_ID), argThat(r -> r.outcome().equals(OrderReview.REJECTED)));
    inOrder.verify(orders).markCompensating(TO_REVIEW, failure);
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.FAILED, failure);
    verifyNoInteractions(payment, shipping);
  }

  @Test
  void withoutADecisionBeforeTheDeadlineTheOrderIsUndoneAsExpired() {
    OrderWorkflow workflow = startOrder(reviewWithin(Duration.ofSeconds(2)));
    awaitStatus(workflow, OrderStatus.AWAITING_REVIEW);

    assertFailsWith(workflow, OrderFailureReason.REVIEW_EXPIRED);

    verify(orders).recordReview(eq(ORDER_ID), argThat(r -> r.outcome().equals(OrderReview.EXPIRED) && r.decidedBy() == null));
    verify(inventory).releaseInventory(ORDER_ID);
    verifyNoInteractions(payment, shipping);
  }

  @Test
  void theCustomerMayCancelWhileTheOrderWaitsForReview() {
    OrderWorkflow workflow = startOrder(TO_REVIEW);
    awaitStatus(workflow, OrderStatus.AWAITING_REVIEW);
    // waiting for the decision, not still marking the order (the status shows before that is recorded)
    verify(orders, timeout(5_000)).markAwaitingReview(eq(ORDER_ID), anyString());

    client.newWorkflowStub(OrderWorkflow.class, WORKFLOW_ID).cancel("test");
    assertThrows(WorkflowUpdateException.class, // a decision after an accepted cancel is refused
        () -> workflow.review(new ReviewDecision(ReviewDecision.APPROVE, null, "op-1")));
    WorkflowStub.fromTyped(workflow).cancel();

    assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(workflow.progress().status()).isEqualTo(OrderStatus.CANCELLED);
    verify(inventory).releaseInventory(ORDER_ID);
    verify(orders, never()).recordReview(anyString(), any());
    verifyNoInteractions(payment, shipping);
    assertThrows(WorkflowException.class,
        () -> workflow.review(new ReviewDecision(ReviewDecision.APPROVE, null, "op-1")));
  }

  @Test
  void anOrderThatNeedsNoReviewRefusesADecision() throws InterruptedException {
    Gate charge = blockCharge();
    OrderWorkflow workflow = startOrder(REQUEST);
    charge.awaitEntered();

    assertThrows(WorkflowUpdateException.class,
        () -> workflow.review(new ReviewDecision(ReviewDecision.APPROVE, null, "op-1")));

    charge.open();
    assertThat(resultOf(workflow).status()).isEqualTo(OrderStatus.COMPLETED);
    verify(orders, never()).markAwaitingReview(anyString(), anyString());
  }


  private static void awaitStatus(OrderWorkflow workflow, OrderStatus expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (workflow.progress().status() != expected) {
      assertThat(System.nanoTime()).as("status " + expected + " within 10 s").isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static OrderRequest reviewWithin(Duration within) {
    return new OrderRequest(REQUEST.orderId(), REQUEST.customerId(), REQUEST.lines(), REQUEST.shippingAddress(),
        REQUEST.total(), REQUEST.currency(), REQUEST.requestHash(), within, null);
  }

  private OrderWorkflow startOrder(OrderRequest request) {
    OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(WORKFLOW_ID).build());
    WorkflowClient.start(workflow::process, request);
    return workflow;
  }

  private Gate blockCharge() {
    Gate gate = new Gate();
    gates.add(gate);
    doAnswer(gate.thenReturn(new PaymentReceipt(new BigDecimal("600.00"), 1))).when(payment).chargePayment(anyString());
    return gate;
  }

  private void verifyNoCompensation() {
    verify(inventory, never()).releaseInventory(anyString());
    verify(payment, never()).refundPayment(anyString());
    verify(shipping, never()).cancelShipment(anyString());
  }
}
