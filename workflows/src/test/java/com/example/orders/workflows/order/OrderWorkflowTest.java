package com.example.orders.workflows.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
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
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import com.example.orders.workflows.shipping.ShippingActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

/**
 * Saga behaviour of {@link OrderWorkflowImpl} against the in-memory test server with time
 * skipping, every activity mocked.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OrderWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkflowTypes(OrderWorkflowImpl.class, ShipmentWorkflowImpl.class)
          .registerSearchAttribute(
              OrderContract.ORDER_STATUS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .registerSearchAttribute(
              OrderContract.CUSTOMER_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .registerSearchAttribute(
              OrderContract.ORDER_TOTAL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE)
          .setDoNotStart(true)
          .build();

  private static final String ORDER_ID = "1001";
  private static final String WORKFLOW_ID = OrderContract.workflowId(ORDER_ID);

  private static final OrderRequest REQUEST =
      new OrderRequest(
          ORDER_ID,
          "cust-42",
          List.of(
              new OrderLine("SKU-MUG", 2, new BigDecimal("30.00")),
              new OrderLine("SKU-TEA", 1, new BigDecimal("40.00"))),
          new ShippingAddress("Ada Lovelace", "12 Analytical St", "London", "N1 9GU", "GB"),
          new BigDecimal("100.00"),
          OrderContract.CURRENCY,
          "hash-1001");

  // Distinct attempt numbers so the progress assertions prove each comes from its own receipt.
  private static final ReservationReceipt RESERVATION = new ReservationReceipt(1);
  private static final PaymentReceipt PAYMENT = new PaymentReceipt(new BigDecimal("100.00"), 2);
  private static final ShipmentReceipt SHIPMENT = new ShipmentReceipt("TRK-1", "Demo Parcel", 3);
  private static final ConfirmationReceipt CONFIRMATION = new ConfirmationReceipt(100, 1);

  /** What a cancel through the update records, with the reason the tests send. */
  private static final OrderFailure CANCELLED_BY_UPDATE =
      new OrderFailure(null, OrderFailureReason.CANCELLED, "test", 0);

  private InventoryActivities inventory;
  private PaymentActivities payment;
  private ShippingActivities shipping;
  private OrderActivities orders;

  private TestWorkflowEnvironment testEnv;
  private WorkflowClient client;
  private WorkflowOptions workflowOptions;
  private final List<Gate> gates = new ArrayList<>();

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowOptions options) {
    this.testEnv = testEnv;
    this.client = testEnv.getWorkflowClient();
    this.workflowOptions =
        WorkflowOptions.newBuilder(options).setWorkflowId(WORKFLOW_ID).build();

    inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
    payment = mock(PaymentActivities.class, withSettings().withoutAnnotations());
    shipping = mock(ShippingActivities.class, withSettings().withoutAnnotations());
    orders = mock(OrderActivities.class, withSettings().withoutAnnotations());

    // Happy defaults; each test overrides (doXxx().when() style, which never calls the mock).
    doReturn(RESERVATION).when(inventory).reserveInventory(any());
    doReturn(PAYMENT).when(payment).chargePayment(anyString());
    doReturn(SHIPMENT).when(shipping).createShipment(anyString(), any());
    doReturn(CONFIRMATION).when(orders).confirmOrder(anyString());

    worker.registerActivitiesImplementations(inventory, payment, shipping, orders);
    testEnv.start();
  }

  /** Runs before the extension closes the environment, so no activity thread stays parked. */
  @AfterEach
  void openAllGates() {
    gates.forEach(Gate::open);
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Happy path

  @Test
  void happyPathCompletesWithoutCompensation() {
    OrderWorkflow workflow = startOrder();

    OrderResult result = resultOf(workflow);

    assertThat(result).isEqualTo(new OrderResult(ORDER_ID, OrderStatus.COMPLETED, "TRK-1"));
    InOrder inOrder = inOrder(inventory, payment, shipping, orders);
    inOrder.verify(inventory).reserveInventory(REQUEST);
    inOrder.verify(payment).chargePayment(ORDER_ID);
    inOrder.verify(shipping).createShipment(eq(ORDER_ID), any());
    inOrder.verify(orders).confirmOrder(ORDER_ID);
    verify(inventory, times(1)).reserveInventory(any());
    verify(payment, times(1)).chargePayment(anyString());
    verify(shipping, times(1)).createShipment(anyString(), any());
    verify(orders, times(1)).confirmOrder(anyString());
    verifyNoCompensation();

    OrderProgress progress = workflow.progress();
    assertThat(progress.orderId()).isEqualTo(ORDER_ID);
    assertThat(progress.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(progress.failure()).isNull();
    assertThat(progress.steps())
        .containsExactly(
            new StepState("reserveInventory", StepStatus.COMPLETED, 1),
            new StepState("chargePayment", StepStatus.COMPLETED, 2),
            new StepState("createShipment", StepStatus.COMPLETED, 3),
            new StepState("confirmOrder", StepStatus.COMPLETED, 1));
  }

  /**
   * The shape of a flowing order: the four steps as local activities (one marker each, with its
   * summary) in the first workflow task, no activity task, no other marker, and the status
   * written once, at the end (the test starts it without the api's search attributes, so those are
   * written once at the start).
   */
  @Test
  void aFlowingOrderRunsItsStepsLocallyInOneWorkflowTask() {
    assertThat(resultOf(startOrder()).status()).isEqualTo(OrderStatus.COMPLETED);

    List<HistoryEvent> events = client.fetchHistory(WORKFLOW_ID).getEvents();
    assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isZero();
    assertThat(count(events, EventType.EVENT_TYPE_MARKER_RECORDED)).as("4 local activities").isEqualTo(4);
    assertThat(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).isEqualTo(1);
    assertThat(count(events, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)).isEqualTo(2);
    assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(e -> e.getUserMetadata().getSummary().getData().toStringUtf8()))
        .anySatisfy(summary -> assertThat(summary).contains("charge 100.00 USD to cust-42"));
  }

  /**
   * A step still failing after its local tries becomes a regular activity, where it shows as pending
   * with its attempts and last failure, and the order's status is published where it stands.
   */
  @Test
  void aStepFailingBeyondItsLocalTriesIsRetriedAsAVisibleActivity() {
    doThrow(new IllegalStateException("connection refused"))
        .doThrow(new IllegalStateException("connection refused"))
        .doThrow(new IllegalStateException("connection refused"))
        .doThrow(new IllegalStateException("connection refused"))
        .doReturn(PAYMENT)
        .when(payment).chargePayment(anyString());
    OrderWorkflow workflow = startOrder();

    assertThat(resultOf(workflow).status()).isEqualTo(OrderStatus.COMPLETED);

    verify(payment, times(5)).chargePayment(ORDER_ID); // 3 local tries, then activity attempts 1 and 2
    assertHandedToOneActivity("chargePayment", "retried after: connection refused", OrderStatus.RESERVED);
  }

  /**
   * The history has one activity task, {@code activity}, whose summary contains {@code summary}, and
   * published {@code status}, where the order stood while it was retried.
   */
  private void assertHandedToOneActivity(String activity, String summary, OrderStatus status) {
    List<HistoryEvent> events = client.fetchHistory(WORKFLOW_ID).getEvents();
    List<HistoryEvent> scheduled = events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).toList();
    assertThat(scheduled).hasSize(1);
    assertThat(scheduled.get(0).getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .isEqualTo(activity);
    assertThat(scheduled.get(0).getUserMetadata().getSummary().getData().toStringUtf8()).contains(summary);
    assertThat(searchAttributeUpserts(events))
        .as("%s published while %s is retried", status, activity)
        .anySatisfy(attributes -> assertThat(attributes).contains(status.name()));
  }

  /**
   * Refused on the first attempt of its activity after failing locally: an earlier local try may
   * have timed out and still commit, so the step is compensated (its record fences that try off).
   */
  @Test
  void aRefusalAfterLocalTriesStillCompensatesTheStep() {
    doThrow(new IllegalStateException("lock timeout"))
        .doThrow(new IllegalStateException("lock timeout"))
        .doThrow(new IllegalStateException("lock timeout"))
        .doThrow(businessFailure("Balance 20.00 < 100.00", OrderFailureReason.INSUFFICIENT_FUNDS, 1))
        .when(payment).chargePayment(anyString());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.INSUFFICIENT_FUNDS);

    verify(payment).refundPayment(ORDER_ID);
    verify(inventory).releaseInventory(ORDER_ID);
  }

  // ---------------------------------------------------------------------------------------------
  // 2-4. Business failures

  /**
   * Refused on attempt 1 of its local activity: that is no proof that no other attempt ran (a
   * workflow task retried elsewhere runs it again as attempt 1), so the release runs, as a fence.
   */
  @Test
  void outOfStockOnTheFirstAttemptIsStillFencedByARelease() {
    doThrow(businessFailure("Only 1 left of SKU-MUG", OrderFailureReason.OUT_OF_STOCK, 1))
        .when(inventory)
        .reserveInventory(any());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.OUT_OF_STOCK);

    OrderFailure expected =
        new OrderFailure(
            "reserveInventory", OrderFailureReason.OUT_OF_STOCK, "Only 1 left of SKU-MUG", 1);
    InOrder inOrder = inOrder(inventory, orders);
    inOrder.verify(inventory).reserveInventory(REQUEST);
    inOrder.verify(orders).markCompensating(REQUEST, expected);
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.FAILED, expected);
    verifyNoInteractions(payment, shipping);
    assertThat(workflow.progress().steps().get(0))
        .isEqualTo(new StepState("reserveInventory", StepStatus.FAILED, 1));
  }

  @Test
  void outOfStockAfterARetryStillReleasesToFenceOffTheEarlierAttempt() {
    doThrow(businessFailure("Only 1 left of SKU-MUG", OrderFailureReason.OUT_OF_STOCK, 2))
        .when(inventory)
        .reserveInventory(any());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.OUT_OF_STOCK);

    OrderFailure expected =
        new OrderFailure(
            "reserveInventory", OrderFailureReason.OUT_OF_STOCK, "Only 1 left of SKU-MUG", 2);
    InOrder inOrder = inOrder(inventory, orders);
    inOrder.verify(inventory).reserveInventory(REQUEST);
    inOrder.verify(orders).markCompensating(REQUEST, expected);
    // attempt 1 may have timed out and still be running: the release's record fences it off
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.FAILED, expected);
    verifyNoInteractions(payment, shipping);
    verify(orders, never()).confirmOrder(anyString());

    assertThat(workflow.progress())
        .isEqualTo(
            new OrderProgress(
                ORDER_ID,
                OrderStatus.FAILED,
                List.of(
                    new StepState("reserveInventory", StepStatus.FAILED, 2),
                    new StepState("chargePayment", StepStatus.SKIPPED, 0),
                    new StepState("createShipment", StepStatus.SKIPPED, 0),
                    new StepState("confirmOrder", StepStatus.SKIPPED, 0)),
                expected));
  }

  @Test
  void insufficientFundsReleasesTheStockAndFencesThePayment() {
    doThrow(businessFailure("Balance 20.00 < 100.00", OrderFailureReason.INSUFFICIENT_FUNDS, 1))
        .when(payment)
        .chargePayment(anyString());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.INSUFFICIENT_FUNDS);

    OrderFailure expected =
        new OrderFailure(
            "chargePayment", OrderFailureReason.INSUFFICIENT_FUNDS, "Balance 20.00 < 100.00", 1);
    InOrder inOrder = inOrder(inventory, payment, orders);
    inOrder.verify(inventory).reserveInventory(REQUEST);
    inOrder.verify(payment).chargePayment(ORDER_ID);
    inOrder.verify(orders).markCompensating(REQUEST, expected);
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.FAILED, expected);
    verify(payment).refundPayment(ORDER_ID); // refused, but a fence against any other attempt
    verifyNoInteractions(shipping);
    verify(orders, never()).confirmOrder(anyString());

    assertThat(workflow.progress().steps())
        .containsExactly(
            new StepState("reserveInventory", StepStatus.COMPENSATED, 1),
            new StepState("chargePayment", StepStatus.FAILED, 1),
            new StepState("createShipment", StepStatus.SKIPPED, 0),
            new StepState("confirmOrder", StepStatus.SKIPPED, 0));
  }

  @Test
  void undeliverableAddressRefundsThenReleases() {
    doThrow(businessFailure("No carrier serves GB/N1", OrderFailureReason.UNDELIVERABLE_ADDRESS, 1))
        .when(shipping)
        .createShipment(anyString(), any());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.UNDELIVERABLE_ADDRESS);

    OrderFailure expected =
        new OrderFailure(
            "createShipment",
            OrderFailureReason.UNDELIVERABLE_ADDRESS,
            "No carrier serves GB/N1",
            1);
    InOrder inOrder = inOrder(inventory, payment, shipping, orders);
    inOrder.verify(orders).markCompensating(REQUEST, expected);
    inOrder.verify(payment).refundPayment(ORDER_ID);
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.FAILED, expected);
    verify(shipping).cancelShipment(ORDER_ID); // refused, but a fence against any other attempt
    verify(orders, never()).confirmOrder(anyString());

    OrderProgress progress = workflow.progress();
    assertThat(progress.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(progress.failure()).isEqualTo(expected);
    assertThat(progress.steps())
        .containsExactly(
            new StepState("reserveInventory", StepStatus.COMPENSATED, 1),
            new StepState("chargePayment", StepStatus.COMPENSATED, 2),
            new StepState("createShipment", StepStatus.FAILED, 1),
            new StepState("confirmOrder", StepStatus.SKIPPED, 0));
  }

  // ---------------------------------------------------------------------------------------------
  // 5. A compensation that fails transiently is retried until it succeeds

  @Test
  void failingCompensationIsRetriedUntilItSucceeds() {
    doThrow(businessFailure("No carrier serves GB/N1", OrderFailureReason.UNDELIVERABLE_ADDRESS, 1))
        .when(shipping)
        .createShipment(anyString(), any());
    doThrow(new RuntimeException("payment provider unavailable"))
        .doThrow(new RuntimeException("payment provider unavailable"))
        .doNothing()
        .when(payment)
        .refundPayment(anyString());
    OrderWorkflow workflow = startOrder();

    assertFailsWith(workflow, OrderFailureReason.UNDELIVERABLE_ADDRESS);

    verify(payment, times(3)).refundPayment(ORDER_ID);
    InOrder inOrder = inOrder(inventory, payment, shipping, orders);
    inOrder.verify(payment, times(3)).refundPayment(ORDER_ID);
    inOrder.verify(inventory).releaseInventory(ORDER_ID);
    inOrder
        .verify(orders)
        .markCompensated(
            eq(ORDER_ID),
            eq(OrderStatus.FAILED),
            eq(
                new OrderFailure(
                    "createShipment",
                    OrderFailureReason.UNDELIVERABLE_ADDRESS,
                    "No carrier serves GB/N1",
                    1)));
    verify(inventory, times(1)).releaseInventory(anyString());
    verify(orders, times(1)).markCompensated(anyString(), any(), any());
    verify(orders, never()).confirmOrder(anyString());
    assertThat(workflow.progress().steps().get(1))
        .isEqualTo(new StepState("chargePayment", StepStatus.COMPENSATED, 2));
  }

  /**
   * The shape of an undone order: the refusal, the compensations and the records of the undo all run
   * locally in the workflow task that met the refusal; no activity task, and the status written once,
   * at the end (COMPENSATING is not where this order rests).
   */
  @Test
  void anUndoneOrderRunsItsCompensationsLocallyInOneWorkflowTask() {
    doThrow(businessFailure("No carrier serves GB/N1", OrderFailureReason.UNDELIVERABLE_ADDRESS, 1))
        .when(shipping)
        .createShipment(anyString(), any());

    assertFailsWith(startOrder(), OrderFailureReason.UNDELIVERABLE_ADDRESS);

    List<HistoryEvent> events = client.fetchHistory(WORKFLOW_ID).getEvents();
    assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isZero();
    assertThat(count(events, EventType.EVENT_TYPE_MARKER_RECORDED))
        .as("3 forward steps, markCompensating, 3 compensations, markCompensated").isEqualTo(8);
    assertThat(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).isEqualTo(1);
    assertThat(searchAttributeUpserts(events))
        .noneSatisfy(attributes -> assertThat(attributes).contains("COMPENSATING"))
        .anySatisfy(attributes -> assertThat(attributes).contains("FAILED"));
    assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(e -> e.getUserMetadata().getSummary().getData().toStringUtf8().replace("\"", "")))
        .contains("record compensation: UNDELIVERABLE_ADDRESS", "refund 100.00 USD to cust-42", "record FAILED");
  }

  /**
   * A compensation still failing after its local tries becomes a regular activity retried without
   * limit: pending with its attempts for an operator, and the order published as COMPENSATING.
   */
  @Test
  void aCompensationFailingBeyondItsLocalTriesIsRetriedAsAVisibleActivity() {
    doThrow(businessFailure("No carrier serves GB/N1", OrderFailureReason.UNDELIVERABLE_ADDRESS, 1))
        .when(shipping)
        .createShipment(anyString(), any());
    doThrow(new RuntimeException("payment provider unavailable"))
        .doThrow(new RuntimeException("payment provider unavailable"))
        .doThrow(new RuntimeException("payment provider unavailable"))
        .doThrow(new RuntimeException("payment provider unavailable"))
        .doNothing()
        .when(payment)
        .refundPayment(anyString());

    assertFailsWith(startOrder(), OrderFailureReason.UNDELIVERABLE_ADDRESS);

    verify(payment, times(5)).refundPayment(ORDER_ID); // 3 local tries, then activity attempts 1 and 2
    verify(inventory, times(1)).releaseInventory(ORDER_ID);
    assertHandedToOneActivity("refundPayment",
        "refund 100.00 USD to cust-42 (retried after: payment provider unavailable)", OrderStatus.COMPENSATING);
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Cancel (update, then workflow cancel) while each undoable step is in flight

  @ParameterizedTest(name = "cancel while {0} is running")
  @EnumSource(
      value = SagaStep.class,
      names = {"RESERVE_INVENTORY", "CHARGE_PAYMENT", "CREATE_SHIPMENT"})
  void cancelUpdateThenWorkflowCancelDuringStepEndsCanceled(SagaStep inFlight) throws Exception {
    Gate gate = blockAction(inFlight);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    CancelAcceptance acceptance =
        client.newWorkflowStub(OrderWorkflow.class, WORKFLOW_ID).cancel("test");
    assertThat(acceptance).isEqualTo(new CancelAcceptance(ORDER_ID, statusWhileRunning(inFlight)));
    WorkflowStub.fromTyped(workflow).cancel();
    letCancelledActivityFinish(gate);

    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(failure.getCause()).isInstanceOf(CanceledFailure.class);

    verifyActionRan(inFlight);
    verifyCompensatedInReverse(inFlight, CANCELLED_BY_UPDATE);
    verifyNeverReached(inFlight);
    assertCancelledProgress(workflow, inFlight, CANCELLED_BY_UPDATE);
  }

  @Test
  void cancelUpdateWithoutWorkflowCancelCompletesCancelledAfterGrace() throws Exception {
    Gate gate = blockAction(SagaStep.CHARGE_PAYMENT);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();
    // Measure from before the cancel: the grace timer may start (after the compensation) a few real
    // milliseconds before the gate's release returns here.
    long before = testEnv.currentTimeMillis();

    CancelAcceptance acceptance =
        client.newWorkflowStub(OrderWorkflow.class, WORKFLOW_ID).cancel("test");
    assertThat(acceptance).isEqualTo(new CancelAcceptance(ORDER_ID, OrderStatus.RESERVED));
    letCancelledActivityFinish(gate);

    OrderResult result = resultOf(workflow);

    assertThat(result).isEqualTo(new OrderResult(ORDER_ID, OrderStatus.CANCELLED, null));
    assertThat(testEnv.currentTimeMillis() - before)
        .as("waited the 30 s grace for a workflow cancel (skipped)")
        .isGreaterThanOrEqualTo(30_000);
    verifyCompensatedInReverse(SagaStep.CHARGE_PAYMENT, CANCELLED_BY_UPDATE);
    verifyNeverReached(SagaStep.CHARGE_PAYMENT);
    assertCancelledProgress(workflow, SagaStep.CHARGE_PAYMENT, CANCELLED_BY_UPDATE);
  }

  /**
   * A workflow cancel sent while a local step runs waits for the workflow task (here until the local
   * tries give up), then stops the step and every step after it, and the stock is released.
   */
  @Test
  void aCancelDuringALocalStepStopsTheStepsAfterIt() throws Exception {
    Gate gate = blockAction(SagaStep.RESERVE_INVENTORY);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    WorkflowStub.fromTyped(workflow).cancel(); // delivered once the local try gives up, within its 4 s
    letCancelledActivityFinish(gate);

    WorkflowFailedException failure = assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(failure.getCause()).isInstanceOf(CanceledFailure.class);
    verifyNoInteractions(payment, shipping);
    verify(inventory).releaseInventory(ORDER_ID);
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Cancel refused once the pivot started

  @Test
  void cancelUpdateIsRejectedOnceConfirmOrderStarted() throws Exception {
    Gate gate = blockAction(SagaStep.CONFIRM_ORDER);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    OrderWorkflow byId = client.newWorkflowStub(OrderWorkflow.class, WORKFLOW_ID);
    WorkflowUpdateException rejected =
        assertThrows(WorkflowUpdateException.class, () -> byId.cancel("too late"));
    assertThat(rejected.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure reason = (ApplicationFailure) rejected.getCause();
    assertThat(reason.getOriginalMessage())
        .isEqualTo("Order can no longer be cancelled: it is SHIPPED and confirmOrder has started");

    gate.open();
    OrderResult result = resultOf(workflow);

    assertThat(result).isEqualTo(new OrderResult(ORDER_ID, OrderStatus.COMPLETED, "TRK-1"));
    verify(orders, atLeastOnce()).confirmOrder(ORDER_ID); // held past its local tries: also as an activity
    verifyNoCompensation();
    OrderProgress progress = workflow.progress();
    assertThat(progress.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(progress.failure()).isNull();

    // The rejection's type is not asserted: temporal-sdk 1.38.0 re-types validator failures as
    // WorkflowExecutionException (temporalio/sdk-java#2875), so the api treats any update failure
    // of "cancel" as the refusal and keys on the message only.
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Workflow cancel alone (Web UI button) before the pivot

  @Test
  void workflowCancelAloneDuringChargeCompensatesAndEndsCanceled() throws Exception {
    Gate gate = blockAction(SagaStep.CHARGE_PAYMENT);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    WorkflowStub.fromTyped(workflow).cancel();
    letCancelledActivityFinish(gate);

    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(failure.getCause()).isInstanceOf(CanceledFailure.class);

    OrderFailure cancelledFromUi =
        new OrderFailure(null, OrderFailureReason.CANCELLED, "Order cancelled", 0);
    verifyCompensatedInReverse(SagaStep.CHARGE_PAYMENT, cancelledFromUi);
    verifyNeverReached(SagaStep.CHARGE_PAYMENT);
    assertCancelledProgress(workflow, SagaStep.CHARGE_PAYMENT, cancelledFromUi);
  }

  // ---------------------------------------------------------------------------------------------
  // 9. Cancel twice

  @Test
  void cancellingTwiceIsAcceptedBothTimesAndUndoesOnce() throws Exception {
    Gate gate = blockAction(SagaStep.CHARGE_PAYMENT);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    OrderWorkflow byId = client.newWorkflowStub(OrderWorkflow.class, WORKFLOW_ID);
    CancelAcceptance first = byId.cancel("test");
    CancelAcceptance second = byId.cancel("changed my mind twice");
    assertThat(first).isEqualTo(new CancelAcceptance(ORDER_ID, OrderStatus.RESERVED));
    assertThat(second.orderId()).isEqualTo(ORDER_ID);
    assertThat(second.statusWhenAccepted())
        .isIn(OrderStatus.COMPENSATING, OrderStatus.CANCELLED);

    WorkflowStub.fromTyped(workflow).cancel();
    letCancelledActivityFinish(gate);
    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(failure.getCause()).isInstanceOf(CanceledFailure.class);

    // The first reason wins and everything is undone exactly once.
    verifyCompensatedInReverse(SagaStep.CHARGE_PAYMENT, CANCELLED_BY_UPDATE);
    verify(payment, times(1)).refundPayment(anyString());
    verify(inventory, times(1)).releaseInventory(anyString());
    verify(orders, times(1)).markCompensating(any(), any());
    verify(orders, times(1)).markCompensated(anyString(), any(), any());
    verifyNeverReached(SagaStep.CHARGE_PAYMENT);
  }

  // ---------------------------------------------------------------------------------------------
  // 10. Workflow cancel after the pivot started: the order is not undone

  /**
   * A workflow cancel (Web UI) while confirmOrder runs must not interrupt or undo the pivot: the
   * order is confirmed and nothing is compensated. The run itself still closes as Canceled, not
   * Completed with an OrderResult: temporal-sdk 1.38 turns the completion of any workflow whose
   * cancellation was requested into CancelWorkflowExecution (ReplayWorkflowExecutor
   * #completeWorkflow), whatever the workflow method returns. See the report accompanying this test.
   */
  @Test
  void workflowCancelDuringConfirmOrderDoesNotUndoTheOrder() throws Exception {
    Gate gate = blockAction(SagaStep.CONFIRM_ORDER);
    OrderWorkflow workflow = startOrder();
    gate.awaitEntered();

    WorkflowStub.fromTyped(workflow).cancel();
    awaitWorkflowTaskAfterCancelRequest();
    gate.open();

    WorkflowFailedException closed =
        assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(closed.getCause()).isInstanceOf(CanceledFailure.class);

    verify(orders, atLeastOnce()).confirmOrder(ORDER_ID); // held past its local tries: also as an activity
    verifyNoCompensation();
    OrderProgress progress = workflow.progress();
    assertThat(progress.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(progress.failure()).isNull();
    assertThat(progress.steps())
        .extracting(StepState::status)
        .containsOnly(StepStatus.COMPLETED);
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery tracking

  @Test
  void aConfirmedOrderBooksItsDeliveryDeadlineAndLeavesTheTrackingToTheCarriersFirstEvent() {
    OrderWorkflow workflow = startOrder(tracked());

    assertThat(resultOf(workflow).status()).isEqualTo(OrderStatus.COMPLETED);
    verify(shipping).createShipment(ORDER_ID, Duration.ofDays(14));
    assertThrows(io.temporal.client.WorkflowNotFoundException.class,
        () -> client.newUntypedWorkflowStub(ShipmentWorkflow.workflowId(ORDER_ID)).describe(),
        "no shipment workflow until the carrier reports (or the deadline sweep finds it)");
  }

  @Test
  void aWorkflowCancelDuringConfirmOrderStillCompletesTheOrder() throws Exception {
    Gate gate = blockAction(SagaStep.CONFIRM_ORDER);
    OrderWorkflow workflow = startOrder(tracked());
    gate.awaitEntered();

    WorkflowStub.fromTyped(workflow).cancel();
    awaitWorkflowTaskAfterCancelRequest();
    gate.open();

    assertThrows(WorkflowFailedException.class, () -> resultOf(workflow)); // the run ends Canceled (SDK 1.38)
    assertThat(workflow.progress().status()).isEqualTo(OrderStatus.COMPLETED);
    verify(shipping).createShipment(ORDER_ID, Duration.ofDays(14));
    verify(shipping, never()).cancelShipment(anyString());
  }

  @Test
  void anOrderWithoutDeliveryTrackingRecordsNoDeadline() {
    assertThat(resultOf(startOrder(REQUEST)).status()).isEqualTo(OrderStatus.COMPLETED);
    verify(shipping).createShipment(ORDER_ID, null);
    assertThrows(io.temporal.client.WorkflowNotFoundException.class,
        () -> client.newUntypedWorkflowStub(ShipmentWorkflow.workflowId(ORDER_ID)).describe());
  }

  private static OrderRequest tracked() {
    return new OrderRequest(REQUEST.orderId(), REQUEST.customerId(), REQUEST.lines(), REQUEST.shippingAddress(),
        REQUEST.total(), REQUEST.currency(), REQUEST.requestHash(), null, Duration.ofDays(14));
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private OrderWorkflow startOrder() {
    return startOrder(REQUEST);
  }

  private OrderWorkflow startOrder(OrderRequest request) {
    OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class, workflowOptions);
    WorkflowClient.start(workflow::process, request);
    return workflow;
  }

  /** Also used by OrderReviewWorkflowTest. */
  static OrderResult resultOf(OrderWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(OrderResult.class);
  }

  private static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).count();
  }

  private static ApplicationFailure businessFailure(String message, String reason, int attempt) {
    return ApplicationFailure.newNonRetryableFailure(message, reason, attempt);
  }

  static void assertFailsWith(OrderWorkflow workflow, String reason) {
    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> resultOf(workflow));
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) failure.getCause()).getType()).isEqualTo(reason);
  }

  /** Makes the action of {@code step} block in its body until the returned gate opens. */
  private Gate blockAction(SagaStep step) {
    Gate gate = new Gate();
    gates.add(gate);
    switch (step) {
      case RESERVE_INVENTORY ->
          doAnswer(gate.thenReturn(RESERVATION)).when(inventory).reserveInventory(any());
      case CHARGE_PAYMENT ->
          doAnswer(gate.thenReturn(PAYMENT)).when(payment).chargePayment(anyString());
      case CREATE_SHIPMENT ->
          doAnswer(gate.thenReturn(SHIPMENT)).when(shipping).createShipment(anyString(), any());
      case CONFIRM_ORDER ->
          doAnswer(gate.thenReturn(CONFIRMATION)).when(orders).confirmOrder(anyString());
    }
    return gate;
  }

  /**
   * Once the workflow has undone the order, lets the blocked activity return; its late result changes
   * nothing. The undo runs locally in the workflow task that met the cancel, which also publishes
   * CANCELLED: a result arriving while that task runs would make the server reject the task and the
   * workflow replay it with the result (still undone, but not the path these tests pin down).
   */
  private void letCancelledActivityFinish(Gate gate) throws InterruptedException {
    verify(orders, timeout(10_000)).markCompensated(anyString(), any(), any());
    awaitHistory("the workflow never published CANCELLED", events -> searchAttributeUpserts(events).stream()
        .anyMatch(attributes -> attributes.contains(OrderStatus.CANCELLED.name())));
    gate.open();
  }

  private static OrderStatus statusWhileRunning(SagaStep step) {
    return switch (step) {
      case RESERVE_INVENTORY -> OrderStatus.PENDING;
      case CHARGE_PAYMENT -> OrderStatus.RESERVED;
      case CREATE_SHIPMENT -> OrderStatus.PAID;
      case CONFIRM_ORDER -> OrderStatus.SHIPPED;
    };
  }

  private void verifyActionRan(SagaStep step) {
    switch (step) {
      case RESERVE_INVENTORY -> verify(inventory, atLeastOnce()).reserveInventory(REQUEST);
      case CHARGE_PAYMENT -> verify(payment, atLeastOnce()).chargePayment(ORDER_ID);
      case CREATE_SHIPMENT -> verify(shipping, atLeastOnce()).createShipment(eq(ORDER_ID), any());
      case CONFIRM_ORDER -> verify(orders, atLeastOnce()).confirmOrder(ORDER_ID);
    }
  }

  /**
   * markCompensating, then the compensation of {@code lastStarted} and of every step before it in
   * reverse order, then markCompensated(CANCELLED).
   */
  private void verifyCompensatedInReverse(SagaStep lastStarted, OrderFailure failure) {
    InOrder inOrder = inOrder(inventory, payment, shipping, orders);
    inOrder.verify(orders).markCompensating(REQUEST, failure);
    for (int i = lastStarted.ordinal(); i >= 0; i--) {
      switch (SagaStep.IN_ORDER.get(i)) {
        case CREATE_SHIPMENT -> inOrder.verify(shipping).cancelShipment(ORDER_ID);
        case CHARGE_PAYMENT -> inOrder.verify(payment).refundPayment(ORDER_ID);
        case RESERVE_INVENTORY -> inOrder.verify(inventory).releaseInventory(ORDER_ID);
        case CONFIRM_ORDER -> throw new IllegalArgumentException("the pivot has no compensation");
      }
    }
    inOrder.verify(orders).markCompensated(ORDER_ID, OrderStatus.CANCELLED, failure);
  }

  /** Neither the action nor the compensation of any step after {@code lastStarted} ran. */
  private void verifyNeverReached(SagaStep lastStarted) {
    for (SagaStep step : SagaStep.IN_ORDER.subList(lastStarted.ordinal() + 1, 4)) {
      switch (step) {
        case CHARGE_PAYMENT -> verifyNoInteractions(payment);
        case CREATE_SHIPMENT -> verifyNoInteractions(shipping);
        case CONFIRM_ORDER -> verify(orders, never()).confirmOrder(anyString());
        case RESERVE_INVENTORY -> throw new IllegalStateException("unreachable");
      }
    }
  }

  private void assertCancelledProgress(
      OrderWorkflow workflow, SagaStep lastStarted, OrderFailure failure) {
    List<StepState> expectedSteps = new ArrayList<>();
    int[] receiptAttempts = {
      RESERVATION.attempt(), PAYMENT.attempt(), SHIPMENT.attempt(), CONFIRMATION.attempt()
    };
    for (SagaStep step : SagaStep.IN_ORDER) {
      int i = step.ordinal();
      if (i < lastStarted.ordinal()) {
        expectedSteps.add(
            new StepState(step.activityName(), StepStatus.COMPENSATED, receiptAttempts[i]));
      } else if (i == lastStarted.ordinal()) {
        // Cancelled mid-flight: it may have taken effect, so it is compensated too.
        expectedSteps.add(new StepState(step.activityName(), StepStatus.COMPENSATED, 0));
      } else {
        expectedSteps.add(new StepState(step.activityName(), StepStatus.SKIPPED, 0));
      }
    }
    assertThat(workflow.progress())
        .isEqualTo(new OrderProgress(ORDER_ID, OrderStatus.CANCELLED, expectedSteps, failure));
  }

  private void verifyNoCompensation() {
    verify(inventory, never()).releaseInventory(anyString());
    verify(payment, never()).refundPayment(anyString());
    verify(shipping, never()).cancelShipment(anyString());
    verify(orders, never()).markCompensating(any(), any());
    verify(orders, never()).markCompensated(anyString(), any(), any());
  }

  /** Polls the history until a workflow task completed after the cancel. */
  private void awaitWorkflowTaskAfterCancelRequest() throws InterruptedException {
    awaitHistory("the workflow never processed the cancel request", events -> {
      boolean cancelSeen = false;
      for (HistoryEvent event : events) {
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED) {
          cancelSeen = true;
        } else if (cancelSeen
            && event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
          return true;
        }
      }
      return false;
    });
  }

  /** Polls the order's history (real time, up to 10 s) until {@code reached} holds; else fails with {@code never}. */
  private void awaitHistory(String never, Predicate<List<HistoryEvent>> reached) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!reached.test(client.fetchHistory(WORKFLOW_ID).getEvents())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(never);
      }
      Thread.sleep(20);
    }
  }

  /** The search attributes of each upsert in {@code events}, as text, oldest first. */
  private static List<String> searchAttributeUpserts(List<HistoryEvent> events) {
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .map(e -> e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().toString())
        .toList();
  }
}
