package com.example.orders.systemtests;

import static org.awaitility.Awaitility.await;
import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two workers processes; one is SIGKILLed while orders are in flight; the other finishes them all. */
class WorkerFailoverIT extends EndToEndTest {

  @Test
  void ordersCompleteWhenOneOfTwoWorkersIsKilledMidFlight() throws Exception {
    Process doomed = env.workers().stream().filter(Process::isAlive).findFirst().orElseThrow();
    env.startWorkers();
    int orders = 20;
    ExecutorService clients = Executors.newFixedThreadPool(orders);
    List<Future<Api.Response>> responses = new ArrayList<>();
    // Hold product_1's row lock so reservations are executing (blocked) on both workers when the kill lands.
    try (Connection lock = holdProductLock("product_1")) {
      for (int i = 0; i < orders; i++) {
        responses.add(clients.submit(() -> api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US),
            "Prefer", "wait=60")));
      }
      awaitBlockedReservations("order-workers-" + doomed.pid(), 3);
      doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful drain
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
      lock.rollback();
    }
    assertThat(doomed.exitValue()).isEqualTo(137);

    List<String> workflowIds = new ArrayList<>();
    for (Future<Api.Response> response : responses) {
      assertThat(response.get().body().get("status").asString()).isEqualTo("COMPLETED");
      workflowIds.add(response.get().body().get("workflowId").asString());
    }
    clients.shutdown();

    // Prove the kill landed mid-flight: the dead worker had processed some of these orders, and
    // work it held was retried elsewhere.
    String deadIdentity = doomed.pid() + "@";
    long touchedByDeadWorker = 0;
    long retriedWork = 0;
    for (String workflowId : workflowIds) {
      var events = env.workflowClient.fetchHistory(workflowId).getHistory().getEventsList();
      if (events.stream().anyMatch(e -> e.hasWorkflowTaskStartedEventAttributes()
          && e.getWorkflowTaskStartedEventAttributes().getIdentity().startsWith(deadIdentity))) {
        touchedByDeadWorker++;
      }
      // the forward steps run as local activities inside workflow tasks: a task the dead worker held
      // times out and runs again elsewhere; a step already handed to an activity is retried as one
      retriedWork += events.stream().filter(e -> e.hasWorkflowTaskTimedOutEventAttributes()
          || (e.hasActivityTaskStartedEventAttributes() && e.getActivityTaskStartedEventAttributes().getAttempt() > 1))
          .count();
    }
    assertThat(touchedByDeadWorker).as("orders whose workflow tasks the killed worker ran").isPositive();
    assertThat(retriedWork).as("workflow tasks or activities retried after the kill").isPositive();
    assertThat(api.available("product_1")).isEqualTo(100 - orders);
    assertThat(api.sold("product_1")).isEqualTo(orders);
    assertThat(api.balance("user_1")).isEqualByComparingTo("0.00");
    assertThat(api.loyaltyPoints("user_1")).isEqualTo(50L * orders);
  }

  /** Waits until the given process has at least {@code n} reservations waiting for the held lock. */
  private static void awaitBlockedReservations(String applicationName, int n) throws Exception {
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         var query = db.prepareStatement("""
             SELECT count(*) FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND query LIKE '%reserve_inventory%' AND application_name = ?""")) {
      query.setString(1, applicationName);
      await(applicationName + " has " + n + " reservations blocked on the held lock")
          .atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            try (var rs = query.executeQuery()) {
              rs.next();
              return rs.getInt(1) >= n;
            }
          });
    }
  }
}
