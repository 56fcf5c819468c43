package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.devtools.faults.FaultInjector.Phase;
import com.example.orders.devtools.replay.WarmUpHistories;
import com.example.orders.workflows.order.CancelAcceptance;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.workflows.order.StepStatus;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Records the event history of every order scenario, played for real (api, workers, the Temporal
 * dev server, PostgreSQL), as {@code <histories.dir>/<histories.generation>/<scenario>.json}. The
 * workflows module's OrderWorkflowReplayTest replays every recorded generation against the current
 * workflow code; the workers' warm-up set ({@code <warm-up.dir>}) becomes the new generation, decoded.
 *
 * <p>Not part of {@code ./run test}: {@code ./run record-histories v2} runs it (Maven profile
 * {@code record-histories}). One test is one scenario and one file. Nothing is written unless every
 * scenario passed, and never into an existing generation: a committed generation is the record of
 * what older code did, and must stay as it was recorded.
 */
class HistoryRecorderIT {

  private static final Map<String, String> recorded = new TreeMap<>();
  private static Path generationDir;
  private static EndToEndEnvironment env;
  private static Api api;

  @BeforeAll
  static void checkTargetThenStart() {
    String generation = System.getProperty("histories.generation", "");
    String historiesDir = System.getProperty("histories.dir");
    assertThat(historiesDir).as("histories.dir: run with ./run record-histories vN").isNotNull();
    assertThat(System.getProperty("warm-up.dir")).as("warm-up.dir: run with ./run record-histories vN").isNotNull();
    assertThat(generation).as("system property histories.generation (v1, v2, ...)").matches("v[0-9]+");
    generationDir = Path.of(historiesDir).toAbsolutePath().normalize().resolve(generation);
    assertThat(Files.exists(generationDir))
        .as("%s exists: a recorded generation is never re-recorded; pick the next one", generationDir)
        .isFalse();
    env = EndToEndEnvironment.get();
    api = env.client("operator");
  }

  @BeforeEach
  void demoData() {
    api.resetDemoData();
  }

  @AfterEach
  void clearFaultsAndCheckInvariants() {
    env.clearFaults();
    Invariants.assertHold(api, env.jdbcUrl);
  }

  @AfterAll
  static void writeGenerationIfEveryScenarioRecorded() throws IOException {
    long scenarios = Arrays.stream(HistoryRecorderIT.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Test.class)).count();
    assertThat(recorded).as("recorded scenarios; nothing is written unless all %d were", scenarios)
        .hasSize((int) scenarios);
    Files.createDirectories(generationDir);
    for (Map.Entry<String, String> history : recorded.entrySet()) {
      Files.writeString(generationDir.resolve(history.getKey() + ".json"), history.getValue());
    }
    System.out.println("[record-histories] wrote " + recorded.size() + " histories to " + generationDir);
    // The workers warm up on this build's histories; they cannot read the test keys, so they get them decoded.
    List<Path> warmUp = WarmUpHistories.write(generationDir, EndToEndEnvironment.TEST_PAYLOAD_KEYS,
        Path.of(System.getProperty("warm-up.dir")));
    System.out.println("[record-histories] renewed " + warmUp.size() + " warm-up histories in " + System.getProperty("warm-up.dir"));
  }

  // ---------------------------------------------------------------------------------------------
  // Outcomes without intervention

  @Test
  void completed() {
    JsonNode order = submitAndWait(orderJson("user_1", "product_1", 2, ADDRESS_US));

    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    WorkflowExecutionHistory history = record("completed", order);
    assertThat(activitiesRun(history))
        .containsExactly("reserveInventory", "chargePayment", "createShipment", "confirmOrder");
  }

  @Test
  void outOfStock() {
    JsonNode order = submitAndWait(orderJson("user_1", "product_1", 200, ADDRESS_US));

    assertFailed(order, "OUT_OF_STOCK");
    WorkflowExecutionHistory history = record("out-of-stock", order);
    assertThat(activitiesRun(history)).startsWith("reserveInventory").doesNotContain("chargePayment");
  }

  @Test
  void insufficientFunds() {
    JsonNode order = submitAndWait(orderJson("user_3", "product_1", 5, ADDRESS_US));

    assertFailed(order, "INSUFFICIENT_FUNDS");
    WorkflowExecutionHistory history = record("insufficient-funds", order);
    assertThat(activitiesRun(history)).contains("releaseInventory").doesNotContain("createShipment");
  }

  @Test
  void undeliverableAddress() {
    JsonNode order = submitAndWait(orderJson("user_2", "product_2", 1, ANTARCTICA));

    assertFailed(order, "UNDELIVERABLE_ADDRESS");
    WorkflowExecutionHistory history = record("undeliverable-address", order);
    assertThat(activitiesRun(history)).contains("refundPayment", "releaseInventory");
  }

  @Test
  void multiItem() {
    // product_1 on two lines is merged: 2 x 50.00 + 120.00 = 220.00, below the review threshold
    // (from v4 on; up to v3 it was 520.00 with product_3, which now waits for review)
    JsonNode order = submitAndWait("""
        {"customerId":"user_1","items":[{"sku":"product_1","quantity":1},{"sku":"product_2","quantity":1},
         {"sku":"product_1","quantity":1}],"shippingAddress":%s}"""
        .formatted(ADDRESS_US));

    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(order.get("items").size()).isEqualTo(2);
    assertThat(order.get("total").decimalValue()).isEqualByComparingTo("220.00");
    record("multi-item", order);
  }

  @Test
  void duplicateSubmission() {
    String body = orderJson("user_1", "product_2", 1, ADDRESS_US);
    String key = "record-histories-" + System.nanoTime();
    Api.Response first = api.post("/orders", body, "Idempotency-Key", key);
    Api.Response second = api.post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30");

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.body().get("orderId").asString()).isEqualTo(first.body().get("orderId").asString());
    assertThat(second.body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(api.get("/orders?customerId=user_1").body().get("orders").size()).isEqualTo(1);
    record("duplicate-submission", second.body());
  }

  // ---------------------------------------------------------------------------------------------
  // Operator review (orders of 500.00 or more; the tests' review deadline is 20 s)

  private static final String LARGE_ORDER = orderJson("user_1", "product_3", 2, ADDRESS_US);

  @Test
  void reviewApproved() {
    String orderId = submit(LARGE_ORDER);
    awaitOrderStatus(orderId, "AWAITING_REVIEW");
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"APPROVE\",\"note\":\"known customer\"}")
        .status()).isEqualTo(200);
    awaitOrderStatus(orderId, "COMPLETED");
    WorkflowExecutionHistory history = record("review-approved", orderId);
    assertThat(activitiesRun(history)).containsExactly("reserveInventory", "recordReview", "chargePayment",
        "createShipment", "confirmOrder");
    assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        EventType.EVENT_TYPE_TIMER_STARTED);
  }

  @Test
  void reviewRejected() {
    String orderId = submit(LARGE_ORDER);
    awaitOrderStatus(orderId, "AWAITING_REVIEW");
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"REJECT\",\"note\":\"fraud check\"}")
        .status()).isEqualTo(200);
    awaitOrderStatus(orderId, "FAILED");
    WorkflowExecutionHistory history = record("review-rejected", orderId);
    assertThat(activitiesRun(history)).contains("recordReview", "releaseInventory").doesNotContain("chargePayment");
  }

  @Test
  void reviewExpired() {
    String orderId = submit(LARGE_ORDER);
    awaitOrderStatus(orderId, "AWAITING_REVIEW");
    awaitOrderStatus(orderId, "FAILED"); // the deadline's timer fires
    WorkflowExecutionHistory history = record("review-expired", orderId);
    assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_TIMER_FIRED);
    assertThat(activitiesRun(history)).contains("recordReview", "releaseInventory").doesNotContain("chargePayment");
  }

  @Test
  void reviewCancelledWhileWaiting() {
    String orderId = submit(LARGE_ORDER);
    awaitOrderStatus(orderId, "AWAITING_REVIEW");
    assertThat(cancelThroughApi(orderId).get("status").asString()).isEqualTo("CANCELLED");
    WorkflowExecutionHistory history = record("review-cancelled-while-waiting", orderId);
    assertThat(activitiesRun(history)).contains("releaseInventory").doesNotContain("recordReview", "chargePayment");
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery tracking: shipment-<orderId>, started by the carrier's first event or the deadline sweep

  @Test
  void shipmentDelivered() {
    JsonNode order = submitAndWait(orderJson("user_1", "product_1", 1, ADDRESS_US));
    String orderId = order.get("orderId").asString();
    String events = "/shipments/" + order.get("shipment").get("trackingNumber").asString() + "/events";
    assertThat(carrier().post(events, carrierEvent("rec-1-" + orderId, "DISPATCHED")).status()).isEqualTo(200);
    assertThat(carrier().post(events, carrierEvent("rec-2-" + orderId, "DELIVERED")).status()).isEqualTo(200);
    WorkflowExecutionHistory history = recordShipment("shipment-delivered", orderId);
    assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    // from v10 on the carrier's first event started it (update-with-start); v5-v9 orders started it as a child
    assertThat(eventTypes(env.workflowClient.fetchHistory(OrderContract.workflowId(orderId)))).doesNotContain(
        EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
  }

  @Test
  void shipmentDuplicateAndContradictingEvents() {
    JsonNode order = submitAndWait(orderJson("user_1", "product_1", 1, ADDRESS_US));
    String orderId = order.get("orderId").asString();
    String events = "/shipments/" + order.get("shipment").get("trackingNumber").asString() + "/events";
    assertThat(carrier().post(events, carrierEvent("rec-3-" + orderId, "DISPATCHED")).status()).isEqualTo(200);
    assertThat(carrier().post(events, carrierEvent("rec-3-" + orderId, "DISPATCHED")).status()).isEqualTo(200);
    assertThat(carrier().post(events, carrierEvent("rec-4-" + orderId, "DISPATCHED")).status()).isEqualTo(409);
    assertThat(carrier().post(events, carrierEvent("rec-5-" + orderId, "DELIVERED")).status()).isEqualTo(200);
    recordShipment("shipment-duplicate-and-contradicting-events", orderId);
  }

  @Test
  void shipmentLostAndRefunded() {
    env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "10s"));
    try {
      JsonNode order = submitAndWait(orderJson("user_2", "product_2", 1, ADDRESS_US));
      String orderId = order.get("orderId").asString();
      String events = "/shipments/" + order.get("shipment").get("trackingNumber").asString() + "/events";
      assertThat(carrier().post(events, carrierEvent("rec-6-" + orderId, "DISPATCHED")).status()).isEqualTo(200);
      WorkflowExecutionHistory history = recordShipment("shipment-lost-refunded", orderId);
      assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_TIMER_FIRED);
      assertThat(activitiesRun(history)).containsExactly("recordShipmentEvent", "refundLostShipment");
      assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
    } finally {
      env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "14d"));
    }
  }

  @Test
  void shipmentNeverReportedFoundBySweep() {
    env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "2s"));
    try {
      String orderId = submitAndWait(orderJson("user_2", "product_2", 1, ADDRESS_US)).get("orderId").asString();
      Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      env.triggerShipmentDeadlineSweep();
      WorkflowExecutionHistory history = recordShipment("shipment-never-reported-swept", orderId);
      assertThat(activitiesRun(history)).containsExactly("refundLostShipment");
      assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
    } finally {
      env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "14d"));
    }
  }

  private static Api carrier() {
    return env.client("carrier");
  }

  private static String carrierEvent(String eventId, String type) {
    return """
        {"eventId":"%s","type":"%s","occurredAt":"2026-12-01T10:15:30Z"}""".formatted(eventId, type);
  }

  /** Saves the history of the order's shipment workflow once it has ended. */
  private static WorkflowExecutionHistory recordShipment(String scenario, String orderId) {
    String workflowId = ShipmentWorkflow.workflowId(orderId);
    awaitClosed(workflowId);
    WorkflowExecutionHistory history = env.workflowClient.fetchHistory(workflowId);
    assertThat(recorded.put(scenario, history.toJson(true))).as("scenario %s recorded twice", scenario).isNull();
    return history;
  }

  // ---------------------------------------------------------------------------------------------
  // Injected faults

  @Test
  void compensationRetriedAsActivity() {
    // An undeliverable order is refunded; the refund fails its three local tries and two activity
    // attempts before doing anything, then works: handed to a regular activity, retried without limit.
    env.injectFault("refundPayment", Phase.BEFORE, 5);
    JsonNode order = submitAndWait(orderJson("user_2", "product_2", 1, ANTARCTICA));

    assertFailed(order, "UNDELIVERABLE_ADDRESS");
    assertThat(env.faultsFired("refundPayment")).isEqualTo(5);
    assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
    WorkflowExecutionHistory history = record("compensation-retried", order);
    // refundPayment twice: the marker of its failed local tries, then the activity
    assertThat(activitiesRun(history)).containsExactly("reserveInventory", "chargePayment", "createShipment",
        "cancelShipment", "refundPayment", "refundPayment", "releaseInventory");
    assertThat(startedAttempts(history, "refundPayment")).containsExactly(3);
  }

  @Test
  void forwardStepRetriedAsActivity() {
    // chargePayment fails its three local tries and two activity attempts, then works: the step is
    // handed to a regular activity, which the history shows with its attempt.
    env.injectFault("chargePayment", Phase.BEFORE, 5);
    JsonNode order = submitAndWait(orderJson("user_1", "product_1", 1, ADDRESS_US));

    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(env.faultsFired("chargePayment")).isEqualTo(5);
    WorkflowExecutionHistory history = record("forward-step-retried-as-activity", order);
    // chargePayment twice: the marker of its failed local tries, then the activity
    assertThat(activitiesRun(history))
        .containsExactly("reserveInventory", "chargePayment", "chargePayment", "createShipment", "confirmOrder");
    assertThat(startedAttempts(history, "chargePayment")).containsExactly(3);
  }

  // ---------------------------------------------------------------------------------------------
  // Cancel, through the API (the cancel update, then a workflow cancel) and directly

  @Test
  void cancelBeforePayment() throws SQLException {
    String orderId;
    try (RowLock ignored = RowLock.customer(env.jdbcUrl, "user_1")) {
      orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
      awaitStep(orderId, SagaStep.CHARGE_PAYMENT, StepStatus.RUNNING);

      JsonNode cancelled = cancelThroughApi(orderId);
      assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
    }
    WorkflowExecutionHistory history = record("cancel-before-payment", orderId);
    assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    assertThat(activitiesRun(history)).contains("releaseInventory").doesNotContain("createShipment");
  }

  @Test
  void cancelAfterShipmentBooked() {
    // createShipment commits the booking, then keeps failing before it can report back: the order
    // is shipped in the database while the workflow has not reached the pivot yet.
    env.injectFault("createShipment", Phase.AFTER_COMMIT, 1000);
    String orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
    awaitOrderStatus(orderId, "SHIPPED");

    JsonNode cancelled = cancelThroughApi(orderId);

    assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.get("shipment").get("status").asString()).isEqualTo("CANCELLED");
    WorkflowExecutionHistory history = record("cancel-after-shipment-booked", orderId);
    assertThat(activitiesRun(history)).contains("cancelShipment", "refundPayment", "releaseInventory");
  }

  @Test
  void cancelRefusedAfterConfirm() {
    // confirmOrder keeps failing before doing anything, so the order waits just past the pivot.
    env.injectFault("confirmOrder", Phase.BEFORE, 1000);
    String orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
    awaitStep(orderId, SagaStep.CONFIRM_ORDER, StepStatus.RUNNING);

    Api.Response refused = api.post("/orders/" + orderId + "/cancel", "{\"reason\":\"too late\"}");
    assertThat(refused.status()).isEqualTo(409);
    env.clearFaults();

    WorkflowExecutionHistory history = record("cancel-refused-after-confirm", orderId);
    assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    // A rejected update leaves no event: the server drops the workflow task that validated it.
    assertThat(eventTypes(history)).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  }

  @Test
  void cancelUpdateWithoutWorkflowCancel() throws SQLException {
    // A caller that dies between the update and the workflow cancel: the workflow's 30 s timer ends
    // the wait and the run completes with the CANCELLED result.
    String orderId;
    try (RowLock ignored = RowLock.customer(env.jdbcUrl, "user_1")) {
      orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
      awaitStep(orderId, SagaStep.CHARGE_PAYMENT, StepStatus.RUNNING);

      CancelAcceptance accepted = workflow(orderId).cancel("caller gone after the update");
      assertThat(accepted.orderId()).isEqualTo(orderId);
    }
    WorkflowExecutionHistory history = record("cancel-update-without-workflow-cancel", orderId);
    assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(eventTypes(history)).contains(EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_TIMER_FIRED);
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void workflowCancelOnlyBeforePayment() throws SQLException {
    // What the Web UI's Cancel button does: a workflow cancel request without the update.
    String orderId;
    try (RowLock ignored = RowLock.customer(env.jdbcUrl, "user_1")) {
      orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
      awaitStep(orderId, SagaStep.CHARGE_PAYMENT, StepStatus.RUNNING);

      env.workflowClient.newUntypedWorkflowStub(OrderContract.workflowId(orderId)).cancel();
      awaitClosed(OrderContract.workflowId(orderId));
    }
    WorkflowExecutionHistory history = record("workflow-cancel-only", orderId);
    assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(eventTypes(history)).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  }

  @Test
  void workflowCancelAfterConfirmStarted() {
    // A workflow cancel once the pivot started: the order is confirmed all the same, the run closes
    // Canceled (docs/architecture.md, "The saga as built").
    env.injectFault("confirmOrder", Phase.BEFORE, 1000);
    String orderId = submit(orderJson("user_1", "product_1", 1, ADDRESS_US));
    awaitStep(orderId, SagaStep.CONFIRM_ORDER, StepStatus.RUNNING);

    env.workflowClient.newUntypedWorkflowStub(OrderContract.workflowId(orderId)).cancel();
    awaitEvent(OrderContract.workflowId(orderId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    env.clearFaults();

    WorkflowExecutionHistory history = record("workflow-cancel-after-confirm-started", orderId);
    assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(activitiesRun(history)).doesNotContain("releaseInventory");
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static final String ANTARCTICA = """
      {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";

  /** Saves the closed workflow's history under {@code scenario}; returns it for assertions. */
  private static WorkflowExecutionHistory record(String scenario, String orderId) {
    String workflowId = OrderContract.workflowId(orderId);
    awaitClosed(workflowId);
    WorkflowExecutionHistory history = env.workflowClient.fetchHistory(workflowId);
    assertThat(recorded.put(scenario, history.toJson(true))).as("scenario %s recorded twice", scenario).isNull();
    return history;
  }

  private static WorkflowExecutionHistory record(String scenario, JsonNode order) {
    return record(scenario, order.get("orderId").asString());
  }

  private static JsonNode submitAndWait(String json) {
    Api.Response response = api.post("/orders", json, "Prefer", "wait=30");
    assertThat(response.status()).as(response.raw()).isEqualTo(200);
    return response.body();
  }

  /** Submits without waiting; returns the order id. */
  private static String submit(String json) {
    Api.Response accepted = api.post("/orders", json);
    assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
    return accepted.body().get("orderId").asString();
  }

  private static JsonNode cancelThroughApi(String orderId) {
    Api.Response response = api.post("/orders/" + orderId + "/cancel", "{\"reason\":\"changed my mind\"}",
        "Prefer", "wait=30");
    assertThat(response.status()).as(response.raw()).isEqualTo(200);
    return response.body();
  }

  private static void assertFailed(JsonNode order, String reason) {
    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo(reason);
  }

  private static OrderWorkflow workflow(String orderId) {
    return env.workflowClient.newWorkflowStub(OrderWorkflow.class, OrderContract.workflowId(orderId));
  }

  private static void awaitOrderStatus(String orderId, String status) {
    await("order " + orderId + " " + status,
        () -> status.equals(api.get("/orders/" + orderId).body().get("status").asString()));
  }

  /** Waits until the workflow itself (its progress query) shows {@code step} in {@code status}. */
  private static void awaitStep(String orderId, SagaStep step, StepStatus status) {
    await(step.activityName() + " " + status + " in order " + orderId,
        () -> workflow(orderId).progress().steps().get(step.ordinal()).status() == status);
  }

  private static void awaitEvent(String workflowId, EventType type) {
    await(type + " in " + workflowId,
        () -> eventTypes(env.workflowClient.fetchHistory(workflowId)).contains(type));
  }

  private static void awaitClosed(String workflowId) {
    await(workflowId + " closed", () -> env.workflowClient.newUntypedWorkflowStub(workflowId).describe()
        .getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /** Polls for up to 60 s: long enough for the 30 s cancel grace timer. */
  private static void await(String what, Callable<Boolean> condition) {
    // ignoring exceptions: a shipment's workflow may not have started yet (the sweep starts it)
    Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(io.temporal.client.WorkflowNotFoundException.class).until(condition);
  }

  private static List<EventType> eventTypes(WorkflowExecutionHistory history) {
    return history.getEvents().stream().map(HistoryEvent::getEventType).toList();
  }

  /**
   * The activities the order ran, in order, other than its mark* bookkeeping: scheduled ones and local
   * ones (a LocalActivity marker, whose "type" detail is the activity type as a JSON string).
   */
  private static List<String> activitiesRun(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .map(e -> e.hasActivityTaskScheduledEventAttributes()
            ? e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
            : e.hasMarkerRecordedEventAttributes() && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
                ? e.getMarkerRecordedEventAttributes().getDetailsOrThrow("type").getPayloads(0).getData().toStringUtf8()
                    .replace("\"", "")
                : null)
        .filter(name -> name != null && !name.startsWith("mark"))
        .toList();
  }

  /** The attempt recorded in each ActivityTaskStarted event of {@code activity}. */
  private static List<Integer> startedAttempts(WorkflowExecutionHistory history, String activity) {
    Map<Long, String> activityBySchedule = new TreeMap<>();
    history.getEvents().stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .forEach(e -> activityBySchedule.put(e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName()));
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
        .map(HistoryEvent::getActivityTaskStartedEventAttributes)
        .filter(started -> activity.equals(activityBySchedule.get(started.getScheduledEventId())))
        .map(started -> started.getAttempt())
        .toList();
  }

  /**
   * Holds a customer's row lock the way chargePayment's debit needs it (FOR NO KEY UPDATE, so that
   * inserting orders that reference the customer still works): chargePayment then keeps failing
   * on lock_timeout and retrying until the lock is released.
   */
  private record RowLock(Connection connection) implements AutoCloseable {
    static RowLock customer(String jdbcUrl, String customerId) throws SQLException {
      Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
      connection.setAutoCommit(false);
      try (PreparedStatement lock = connection.prepareStatement(
          "SELECT 1 FROM customers WHERE customer_id = ? FOR NO KEY UPDATE")) {
        lock.setString(1, customerId);
        lock.executeQuery().close();
      }
      return new RowLock(connection);
    }

    @Override
    public void close() throws SQLException {
      connection.rollback();
      connection.close();
    }
  }
}
