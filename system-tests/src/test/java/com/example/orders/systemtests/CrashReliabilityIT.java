package com.example.orders.systemtests;

import static org.awaitility.Awaitility.await;
import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.devtools.postgres.TestPostgres;
import com.example.orders.devtools.faults.FaultInjector;
import com.example.orders.systemtests.EndToEndEnvironment.Engine;
import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Processes die or disappear while orders are in flight: workers, the Temporal server, PostgreSQL,
 * the api. Every order still ends terminal and exact, and no order or workflow is left orphaned.
 * Runs on both engines; on the real server two scenarios more: the server SIGKILLed, and PostgreSQL
 * (which holds the server's state too) restarted under it.
 */
@Tag(Engine.BOTH)
class CrashReliabilityIT extends EndToEndTest {

  private Instant testStart;
  /**
   * Orders whose workflow and row an earlier test's check matched. After the dev server's restart test,
   * visibility has listed some of its workflows with a StartTime after the next test's start (their rows
   * gone with that test's demo reset), so they looked like orphans of the next test.
   */
  private static final Set<String> CHECKED_BY_EARLIER_TESTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeEach
  void markStart() {
    testStart = Instant.now(); // after the demo reset: earlier tests' workflows no longer have rows
  }

  @AfterEach
  void noOrphans() {
    assertNoOrphans();
  }

  @Test
  void workersKilledUnderLoadThenRestartedFinishEveryOrder() throws Exception {
    List<String> orderIds;
    try (Connection lock = holdProductLock("product_1")) {
      orderIds = Reliability.orderIds(Reliability.submitConcurrently(api, 25,
          i -> orderJson("user_1", "product_1", 1, ADDRESS_US)));
      awaitLockWaiters(3);
      for (Process workers : env.workers()) {
        workers.destroyForcibly();
        workers.waitFor(10, TimeUnit.SECONDS);
      }
      lock.rollback();
    } finally {
      env.restoreStack(); // a new workers process, whatever happened above
    }

    List<JsonNode> orders = Reliability.awaitTerminal(api, orderIds, Duration.ofMinutes(3));
    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 20), Map.entry("FAILED/INSUFFICIENT_FUNDS", 5));
    assertThat(api.balance("user_1")).isEqualByComparingTo("0.00");
    Reliability.report("every worker SIGKILLed mid-flight, then restarted", 25, outcomes, 0, 0);
  }

  @Test
  void temporalServerRestartedMidFlightLosesNothing() throws Exception {
    List<String> orderIds;
    try (Connection lock = holdProductLock("product_2")) {
      orderIds = Reliability.orderIds(Reliability.submitConcurrently(api, 8,
          i -> orderJson("user_2", "product_2", 1, ADDRESS_US)));
      awaitLockWaiters(2);
      env.stopTemporal();
      lock.rollback();
      EndToEndEnvironment.sleep(3000);
    } finally {
      env.restoreStack(); // Temporal again: the dev server on the same SQLite file, the server on its databases
    }

    List<JsonNode> orders = Reliability.awaitTerminal(api, orderIds, Duration.ofMinutes(3));
    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 4), Map.entry("FAILED/INSUFFICIENT_FUNDS", 4));
    assertThat(api.balance("user_2")).isEqualByComparingTo("20.00");
    Reliability.report(env.engine.description + " restarted mid-flight", 8, outcomes, 0, 0);
  }

  /**
   * The real server SIGKILLed with reservations in flight and an order waiting for its review: no
   * shutdown of any kind, so its shards, task queues and timers are only what PostgreSQL holds. Started
   * again on the same databases, it has lost nothing: the orders end exactly as without the kill, and
   * the review's durable timer still fires (the order expires and is undone).
   */
  @Test
  @Tag(Engine.SERVER_ONLY)
  void temporalServerKilledMidFlightLosesNothing() throws Exception {
    env.requireEngine(Engine.SERVER, "SIGKILLing the Temporal server");
    // user_1's 2 x product_3, 600.00: reviewed, and nobody decides
    List<String> orderIds = new ArrayList<>(List.of(placeAndAwaitReview(orderJson("user_1", "product_3", 2, ADDRESS_US))));
    long killed;
    try (Connection lock = holdProductLock("product_2")) {
      orderIds.addAll(Reliability.orderIds(Reliability.submitConcurrently(api, 8,
          i -> orderJson("user_2", "product_2", 1, ADDRESS_US))));
      awaitLockWaiters(2);
      killed = env.temporalServerProcess().pid();
      env.killTemporalServer(); // SIGKILL; ./run temporal-server stops its Web UI server and exits
      lock.rollback(); // the reservations go on in the workers, which cannot report them
      EndToEndEnvironment.sleep(3000);
    } finally {
      env.restoreStack(); // ./run temporal-server again, on the same databases
    }
    assertThat(env.temporalServerProcess().pid()).as("a new server process").isNotEqualTo(killed);

    List<JsonNode> orders = Reliability.awaitTerminal(api, orderIds, EndToEndEnvironment.REVIEW_DEADLINE.plusMinutes(3));
    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 4), Map.entry("FAILED/INSUFFICIENT_FUNDS", 4),
        Map.entry("FAILED/REVIEW_EXPIRED", 1));
    assertThat(api.balance("user_2")).isEqualByComparingTo("20.00");
    assertThat(api.balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(api.available("product_3")).isEqualTo(25);
    Reliability.report("Temporal server SIGKILLed mid-flight, restarted", 9, outcomes, 0, 0);
  }

  /**
   * PostgreSQL, where the real server keeps its persistence and visibility, restarted under it with
   * reservations in flight and a review's timer running: the same server process reconnects (nobody
   * restarts it), and every order ends exactly, the expired review included.
   */
  @Test
  @Tag(Engine.SERVER_ONLY)
  void postgresRestartedUnderTheTemporalServerOrdersInFlightComplete() throws Exception {
    env.requireEngine(Engine.SERVER, "restarting PostgreSQL under the Temporal server");
    ProcessHandle server = env.temporalServerProcess();
    List<String> orderIds = new ArrayList<>(List.of(placeAndAwaitReview(orderJson("user_1", "product_3", 2, ADDRESS_US))));
    try (Connection lock = holdProductLock("product_2")) {
      orderIds.addAll(Reliability.orderIds(Reliability.submitConcurrently(api, 8,
          i -> orderJson("user_2", "product_2", 1, ADDRESS_US))));
      awaitLockWaiters(2);
      TestPostgres.server().stop(); // fast shutdown: every connection dropped, the lock-holding one too
      EndToEndEnvironment.sleep(5000);
      TestPostgres.server().restart();
    } finally {
      env.restoreStack(); // would start a dead server again: the assertion below tells
    }

    List<JsonNode> orders = Reliability.awaitTerminal(api, orderIds, EndToEndEnvironment.REVIEW_DEADLINE.plusMinutes(3));
    assertThat(server.isAlive()).as("the Temporal server process of before PostgreSQL's restart, reconnected").isTrue();
    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 4), Map.entry("FAILED/INSUFFICIENT_FUNDS", 4),
        Map.entry("FAILED/REVIEW_EXPIRED", 1));
    assertThat(api.balance("user_2")).isEqualByComparingTo("20.00");
    assertThat(api.available("product_3")).isEqualTo(25);
    Reliability.report("PostgreSQL restarted under the Temporal server", 9, outcomes, 0, 0);
  }

  @Test
  void postgresUnavailableForAWhileThenOrdersComplete() throws Exception {
    List<String> orderIds;
    try (Connection lock = holdProductLock("product_3")) {
      orderIds = Reliability.orderIds(Reliability.submitConcurrently(api, 6,
          i -> orderJson("user_1", "product_3", 1, ADDRESS_US)));
      awaitLockWaiters(2);
      TestPostgres.server().stop(); // also ends the lock-holding session
      EndToEndEnvironment.sleep(8000);
    } finally {
      env.restoreStack(); // PostgreSQL again
    }

    List<JsonNode> orders = Reliability.awaitTerminal(api, orderIds, Duration.ofMinutes(3));
    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 3), Map.entry("FAILED/INSUFFICIENT_FUNDS", 3));
    Reliability.report("PostgreSQL down for 8 s mid-flight", 6, outcomes, 0, 0);
  }

  /**
   * An order refused and undone inside its first workflow task, whose workers die right after the undo
   * committed: the engine never hears of the task, and the next worker runs the order's steps from the
   * start against a row that already says FAILED, with the funds there by now. The order ends exactly
   * as it had: nothing charged, booked or sold, one OrderFailed.
   */
  @Test
  void workersDyingAfterAnUndoRunTheOrderAgainToTheSameOutcome() throws Exception {
    // user_3 has 200.00: 5 x product_1, 250.00, is refused at chargePayment, all within the first task
    env.injectFault("markCompensated", FaultInjector.Phase.CRASH, 1);
    List<Process> running = env.workers().stream().filter(Process::isAlive).toList();
    String orderId;
    try {
      orderId = api.post("/orders", orderJson("user_3", "product_1", 5, ADDRESS_US)).body().get("orderId").asString();
      await("a workers process halted after markCompensated committed").atMost(Duration.ofSeconds(30))
          .until(() -> running.stream().anyMatch(w -> !w.isAlive() && w.exitValue() == 137));
      assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("FAILED");
      assertThat(api.put("/customers/user_3", "{\"balance\":1000.00}").status()).isEqualTo(200);
    } finally {
      env.restoreStack(); // workers again: they take the lost task up once it has timed out
    }

    JsonNode order = Reliability.awaitTerminal(api, List.of(orderId), Duration.ofMinutes(3)).getFirst();
    assertThat(Reliability.countByOutcome(List.of(order))).containsExactly(Map.entry("FAILED/INSUFFICIENT_FUNDS", 1));
    assertThat(order.get("failure").get("step").asString()).isEqualTo("chargePayment");
    assertThat(env.workflowClient.newUntypedWorkflowStub(OrderContract.workflowId(orderId)).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(api.balance("user_3")).isEqualByComparingTo("1000.00");
    assertThat(api.available("product_1")).isEqualTo(100);
    assertThat(api.reserved("product_1")).isZero();
    assertThat(api.sold("product_1")).isZero();
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         PreparedStatement facts = db.prepareStatement("""
             SELECT (SELECT count(*) FROM payments WHERE order_id = ?) AS payments,
                    (SELECT count(*) FROM shipments WHERE order_id = ?) AS shipments,
                    (SELECT count(*) FROM outbox_events WHERE message_key = ? AND event_type = 'OrderFailed') AS failed""")) {
      for (int i = 1; i <= 3; i++) {
        facts.setString(i, orderId);
      }
      try (ResultSet rs = facts.executeQuery()) {
        rs.next();
        assertThat(List.of(rs.getInt("payments"), rs.getInt("shipments"), rs.getInt("failed")))
            .as("payments, shipments, OrderFailed events").containsExactly(0, 0, 1);
      }
    }
    api.put("/customers/user_3", "{\"balance\":200.00}"); // the demo's balance: the money invariant counts from it
    Reliability.report("workers killed after an undo, before its task was recorded", 1,
        Map.of("FAILED/INSUFFICIENT_FUNDS", 1), 1, 0);
  }

  @Test
  void apiDyingAfterStartingTheWorkflowLeavesNoOrphan() {
    env.injectFault("submitOrder.afterWorkflowStart", FaultInjector.Phase.CRASH, 1);
    String body = orderJson("user_1", "product_1", 3, ADDRESS_US);
    String key = "crash-after-" + System.nanoTime();

    try {
      assertThatThrownBy(() -> api.post("/orders", body, "Idempotency-Key", key)).isInstanceOf(IllegalStateException.class);
      assertApiCrashed();
    } finally {
      env.restoreStack(); // the api again
    }

    // the client retries with its key: the same order, whose row the workflow wrote itself
    JsonNode order = api.post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=60").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(api.get("/orders?customerId=user_1").body().get("orders").size()).isEqualTo(1);
    assertThat(api.sold("product_1")).isEqualTo(3);
    Reliability.report("api killed after workflow start, client retries", 1, Map.of("COMPLETED", 1), 1, 0);
  }

  @Test
  void apiDyingBeforeStartingTheWorkflowLeavesNothingBehind() {
    env.injectFault("submitOrder.beforeWorkflowStart", FaultInjector.Phase.CRASH, 1);
    String body = orderJson("user_3", "product_1", 1, ADDRESS_US);
    String key = "crash-before-" + System.nanoTime();

    try {
      assertThatThrownBy(() -> api.post("/orders", body, "Idempotency-Key", key)).isInstanceOf(IllegalStateException.class);
      assertApiCrashed();
    } finally {
      env.restoreStack(); // the api again
    }
    assertThat(api.get("/orders").body().get("orders").size()).isZero();

    JsonNode order = api.post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=60").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(api.get("/orders").body().get("orders").size()).isEqualTo(1);
    Reliability.report("api killed before workflow start, client retries", 1, Map.of("COMPLETED", 1), 1, 0);
  }

  private static void assertApiCrashed() {
    try {
      assertThat(env.api().waitFor(15, TimeUnit.SECONDS)).as("api process died").isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertThat(env.api().exitValue()).isEqualTo(137);
  }

  /** Every order workflow started during the test has its order row, and every order row its workflow. */
  private void assertNoOrphans() {
    // visibility is eventually consistent; give it a moment before calling anything an orphan
    await("every workflow started in the test has its order row and every row its workflow")
        .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          Set<String> workflowOrderIds = new HashSet<>();
          // a run closed before the test began is not the test's, whatever StartTime visibility reports for it
          env.workflowClient.listExecutions("WorkflowType = 'OrderWorkflow' AND StartTime > '" + testStart
                  + "' AND (ExecutionStatus = 'Running' OR CloseTime > '" + testStart + "')")
              .forEach(e -> workflowOrderIds.add(
                  e.getExecution().getWorkflowId().substring(OrderContract.WORKFLOW_ID_PREFIX.length())));
          workflowOrderIds.removeAll(CHECKED_BY_EARLIER_TESTS);
          Set<String> rowOrderIds = new HashSet<>();
          api.get("/orders?limit=200").body().get("orders").forEach(o -> rowOrderIds.add(o.get("orderId").asString()));
          assertThat(workflowOrderIds).as("order ids of workflows vs of order rows").isEqualTo(rowOrderIds);
          CHECKED_BY_EARLIER_TESTS.addAll(workflowOrderIds);
        });
  }

  private static void awaitLockWaiters(int n) throws Exception {
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "")) {
      await(n + " activities waiting for the held lock").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            try (var rs = db.createStatement().executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'order-workers-%'")) {
              rs.next();
              return rs.getInt(1) >= n;
            }
          });
    }
  }
}
