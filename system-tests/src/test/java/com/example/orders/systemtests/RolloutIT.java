package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionVersioningInfo;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rollout of docs/changing-workflows.md with two real builds of the workers, on both engines.
 * Build A is the environment's own workers process; build B is a second process of the same jar
 * under another build id (unique per run, so a server that keeps its state never sees it twice),
 * with devtools' test-only switch ORDERS_TEST_STEP_SUMMARY_PREFIX=B that starts every activity's
 * summary with "B: ": a build that behaves observably differently, without a change to the workflow
 * code. The versions are ramped and switched with the Temporal CLI, as an operator does.
 *
 * <p>Each test leaves the environment as the suites after it expect: build A current and running,
 * no ramp, build B stopped ({@link #leaveBuildACurrentAndBStopped}).
 */
@Tag(EndToEndEnvironment.Engine.BOTH)
class RolloutIT extends EndToEndTest {

  private static final String B_PREFIX = "B: ";
  private static final Pattern NON_DETERMINISM = Pattern.compile("(?i)non-?determinis|TMPRL1100");
  private static final String ANTARCTICA = """
      {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";
  private static final DataConverter DATA = env.workflowClient.getOptions().getDataConverter();

  private final WorkerDeployment deployment = new WorkerDeployment(env);
  /** The environment's build: current when each test starts. */
  private String buildA;
  private String buildB;
  private Process workersB;
  /** Every order this test placed, by workflow id. */
  private final Set<String> orders = new LinkedHashSet<>();
  /** Where each workers log stood when the test began: only what the test's time added is read. */
  private final Map<Path, Long> logsAtStart = new HashMap<>();

  @BeforeEach
  void noteBuildAAndTheLogs() throws IOException {
    WorkerDeployment.State state = deployment.describe();
    assertThat(state.current()).as("the environment's build is current: " + state.json()).isNotEmpty();
    assertThat(state.ramping()).as("no ramp: " + state.json()).isEmpty();
    buildA = state.current();
    for (Path log : workersLogs()) {
      logsAtStart.put(log, Files.size(log));
    }
  }

  /**
   * A → B: orders waiting for a review on A; B ramped to 10 %, then made current; new orders run on
   * B; A's waiting orders, approved, complete on A as A does them; A drains and its workers stop.
   */
  @Test
  void ordersInFlightFinishOnTheirBuildWhileNewOrdersRunOnTheNewBuild() throws Exception {
    Run baseline = run(placeAndComplete(orderJson("user_1", "product_1", 2, ADDRESS_US), "COMPLETED"));
    assertRanOn(baseline, buildA);

    startBuildB("rollout");

    // Ramp 10 %: a new order starts on B or on A by a hash of its workflow id, and stays there.
    deployment.ramp(buildB, 10);
    WorkerDeployment.State ramped = deployment.describe();
    assertThat(ramped.current()).as(ramped.json()).isEqualTo(buildA);
    assertThat(ramped.ramping()).as(ramped.json()).isEqualTo(buildB);
    assertThat(ramped.rampPercentage()).as(ramped.json()).isEqualTo(10.0);
    Map<String, List<Run>> rampedOrders = ordersDuringTheRamp();
    rampedOrders.get(buildA).forEach(r -> assertRanOn(r, buildA));
    rampedOrders.get(buildB).forEach(r -> assertRanOn(r, buildB));

    // Orders that wait for a review, still under the ramp: at least two on A (one in ten may land on B).
    String reviewer = newCustomer();
    Map<String, String> waiting = new HashMap<>(); // order id -> the build it waits on
    for (int placed = 0; waiting.values().stream().filter(buildA::equals).count() < 2; placed++) {
      assertThat(placed).as("orders placed for two to wait on A under a 10 % ramp").isLessThan(8);
      String orderId = placeAndAwaitReview(orderJson(reviewer, "product_3", 2, ADDRESS_US));
      orders.add(OrderContract.workflowId(orderId));
      waiting.put(orderId, onlyBuild(run(OrderContract.workflowId(orderId), false)));
    }

    // Switch: B current, the ramp gone; A draining while its orders wait.
    deployment.makeCurrent(buildB);
    WorkerDeployment.State switched = deployment.describe();
    assertThat(switched.current()).as(switched.json()).isEqualTo(buildB);
    assertThat(switched.ramping()).as(switched.json()).isEmpty();
    await("A draining while its orders wait").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
        .until(() -> deployment.describe().drainageOf(buildA), "draining"::equals);

    // New orders run on B, B's way: every step's summary says so, the undo's too.
    assertRanOn(run(placeAndComplete(orderJson("user_1", "product_1", 2, ADDRESS_US), "COMPLETED")), buildB);
    assertRanOn(run(placeAndComplete(orderJson("user_2", "product_2", 1, ANTARCTICA), "FAILED")), buildB);

    // The waiting orders, approved, complete on the build they started on, as that build does them.
    waiting.keySet().forEach(this::approve);
    for (Map.Entry<String, String> order : waiting.entrySet()) {
      assertThat(awaitStatus(order.getKey())).isEqualTo("COMPLETED");
      Run approved = run(OrderContract.workflowId(order.getKey()));
      assertRanOn(approved, order.getValue());
      assertThat(approved.summaries()).as("the steps after the review ran").anyMatch(s -> s.contains("charge 600.00 USD"));
    }

    // A drains once its last order ended; then its workers stop, and orders go on, on B.
    Duration drained = awaitDrained(buildA);
    System.out.printf("ROLLOUT[%s] ramp 10 %%: %d orders on A, %d on B; %d waiting on A, %d on B; A drained %d ms after "
            + "its last order was seen closed%n", env.engine.name().toLowerCase(), rampedOrders.get(buildA).size(),
        rampedOrders.get(buildB).size(), waiting.values().stream().filter(buildA::equals).count(),
        waiting.values().stream().filter(buildB::equals).count(), drained.toMillis());
    env.workers().stream().filter(Process::isAlive).forEach(env::stopWorkers);
    assertRanOn(run(placeAndComplete(orderJson("user_1", "product_2", 1, ADDRESS_US), "COMPLETED")), buildB);

    nothingFailedAnywhere();
  }

  /**
   * A → B → A: B made current, an order waiting on B; A made current again: new orders on A; B's
   * waiting order, approved, completes on B as B does it; B drains and its workers stop.
   */
  @Test
  void aRollbackSendsNewOrdersBackWhileOrdersOfTheBadBuildFinishOnIt() throws Exception {
    startBuildB("rollback");
    deployment.makeCurrent(buildB);
    assertThat(deployment.describe().current()).isEqualTo(buildB);
    String waitingOnB = placeAndAwaitReview(orderJson(newCustomer(), "product_3", 2, ADDRESS_US));
    orders.add(OrderContract.workflowId(waitingOnB));
    assertThat(onlyBuild(run(OrderContract.workflowId(waitingOnB), false))).isEqualTo(buildB);
    assertRanOn(run(placeAndComplete(orderJson("user_1", "product_1", 2, ADDRESS_US), "COMPLETED")), buildB);

    // Roll back: A current again; B draining while its order waits.
    deployment.makeCurrent(buildA);
    WorkerDeployment.State rolledBack = deployment.describe();
    assertThat(rolledBack.current()).as(rolledBack.json()).isEqualTo(buildA);
    assertThat(rolledBack.ramping()).as(rolledBack.json()).isEmpty();
    await("B draining while its order waits").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
        .until(() -> deployment.describe().drainageOf(buildB), "draining"::equals);

    // New orders on A again, A's way.
    assertRanOn(run(placeAndComplete(orderJson("user_1", "product_1", 2, ADDRESS_US), "COMPLETED")), buildA);
    assertRanOn(run(placeAndComplete(orderJson("user_2", "product_2", 1, ANTARCTICA), "FAILED")), buildA);

    // B's order, approved, completes on B, B's way.
    approve(waitingOnB);
    assertThat(awaitStatus(waitingOnB)).isEqualTo("COMPLETED");
    Run approved = run(OrderContract.workflowId(waitingOnB));
    assertRanOn(approved, buildB);
    assertThat(approved.summaries()).as("the steps after the review ran, B's way")
        .anyMatch(s -> s.startsWith(B_PREFIX + "charge 600.00 USD"));

    Duration drained = awaitDrained(buildB);
    System.out.printf("ROLLOUT[%s] rollback: B drained %d ms after its last order was seen closed%n",
        env.engine.name().toLowerCase(), drained.toMillis());
    env.stopWorkers(workersB);
    assertThat(workersB.isAlive()).isFalse();

    nothingFailedAnywhere();
  }

  /**
   * Whatever happened: build A's workers running and current, no ramp, B's orders ended and its
   * workers stopped. The suites after this one run on the environment's build as if nothing happened.
   */
  @AfterEach
  void leaveBuildACurrentAndBStopped() {
    if (buildA == null) {
      return; // the environment had no current build to begin with: noteBuildAAndTheLogs failed
    }
    if (env.workers().stream().noneMatch(Process::isAlive)) {
      env.startWorkers();
    }
    WorkerDeployment.State state = deployment.describe();
    if (!state.ramping().isEmpty()) {
      deployment.stopRamp(state.ramping());
    }
    if (!buildA.equals(state.current())) {
      deployment.makeCurrent(buildA);
    }
    if (workersB != null && workersB.isAlive()) {
      try {
        // an order left waiting on B (a test that failed half-way) expires within the review deadline
        await("orders pinned to " + buildB + " ended").atMost(EndToEndEnvironment.REVIEW_DEADLINE.plusSeconds(40))
            .pollInterval(Duration.ofSeconds(1)).until(() -> deployment.openPinned(buildB).isEmpty());
      } finally {
        env.stopWorkers(workersB);
      }
    }
    WorkerDeployment.State after = deployment.describe();
    assertThat(after.current()).as(after.json()).isEqualTo(buildA);
    assertThat(after.ramping()).as(after.json()).isEmpty();
  }

  /** Starts build B beside A and waits until the server knows it with both queues; it stays not current. */
  private void startBuildB(String test) {
    buildB = "B-" + test + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    workersB = env.startWorkersOfBuild(buildB, Map.of("ORDERS_TEST_STEP_SUMMARY_PREFIX", "B"));
    await("build " + buildB + " registered with the workflow and activity queues").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> deployment.registeredQueues(buildB), types -> types.containsAll(Set.of("workflow", "activity")));
    Path log = env.logs.resolve("workers-" + buildB + ".log");
    await("B says it is ready but not current").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
        .until(() -> Files.readString(log).contains("version " + buildB + " is ready but not current"));
    WorkerDeployment.State state = deployment.describe();
    assertThat(state.current()).as("starting B changes nothing: " + state.json()).isEqualTo(buildA);
    assertThat(state.drainage()).as(state.json()).containsKey(buildB);
  }

  /**
   * Places small orders under the ramp, ten at a time, until some ran on A and at least one on B;
   * returns them by build. One in ten lands on B: 90 orders make missing B a 1-in-10 000 event.
   */
  private Map<String, List<Run>> ordersDuringTheRamp() throws Exception {
    String customer = newCustomer();
    Map<String, List<Run>> byBuild = new HashMap<>();
    byBuild.put(buildA, new ArrayList<>());
    byBuild.put(buildB, new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(10);
    try {
      while (byBuild.get(buildA).isEmpty() || byBuild.get(buildB).isEmpty()) {
        int placed = byBuild.values().stream().mapToInt(List::size).sum();
        assertThat(placed).as("orders placed under a 10 %% ramp, none on B (%s)", byBuild).isLessThan(90);
        List<Future<String>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(clients.submit(() -> placeAndComplete(orderJson(customer, "product_1", 1, ADDRESS_US), "COMPLETED")));
        }
        for (Future<String> order : batch) {
          Run run = run(order.get());
          assertThat(byBuild).as(run.workflowId() + " ran on " + run.builds()).containsKey(onlyBuild(run));
          byBuild.get(onlyBuild(run)).add(run);
        }
      }
    } finally {
      clients.shutdown();
    }
    return byBuild;
  }

  /** Places an order, waits for its outcome {@code expected}; returns its workflow id. */
  private String placeAndComplete(String orderJson, String expected) {
    Api.Response placed = api.post("/orders", orderJson, "Prefer", "wait=30");
    assertThat(placed.status()).as(placed.raw()).isEqualTo(200);
    String workflowId = placed.body().get("workflowId").asString();
    synchronized (orders) {
      orders.add(workflowId);
    }
    assertThat(placed.body().get("status").asString()).as(placed.raw()).isEqualTo(expected);
    return workflowId;
  }

  private void approve(String orderId) {
    Api.Response approved = api.post("/orders/" + orderId + "/review", "{\"decision\":\"APPROVE\",\"note\":\"rollout check\"}");
    assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
  }

  private String awaitStatus(String orderId) {
    return await("order " + orderId + " final").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> api.get("/orders/" + orderId).body().get("status").asString(),
            status -> status.matches("COMPLETED|FAILED|CANCELLED"));
  }

  /** Waits until {@code build} is drained; returns how long that took. */
  private Duration awaitDrained(String build) {
    long start = System.nanoTime();
    await(build + " drained (temporal worker deployment describe)").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(deployment.describe().drainageOf(build))
            .as("open and pinned to " + build + ": " + deployment.openPinned(build)).isEqualTo("drained"));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private String newCustomer() {
    String id = "rollout_" + System.nanoTime();
    assertThat(api.put("/customers/" + id, "{\"name\":\"Rollout check\",\"balance\":100000.00}").status()).isEqualTo(201);
    return id;
  }

  /**
   * An order's run as its history tells it: the build of each completed workflow task, the summary of
   * each activity and local activity (decoded), whether a workflow task failed, and its versioning.
   */
  private record Run(String workflowId, Set<String> builds, List<String> summaries, long failedWorkflowTasks,
      WorkflowExecutionVersioningInfo versioning) {}

  private static Run run(String workflowId) {
    return run(workflowId, true);
  }

  /** {@code closed}: waits until the run has ended first (the api answers once the order's row is final). */
  private static Run run(String workflowId, boolean closed) {
    var stub = env.workflowClient.newUntypedWorkflowStub(workflowId);
    if (closed) {
      await(workflowId + " closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> stub.describe().getRawDescription().getWorkflowExecutionInfo().getStatus()
              != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
    List<HistoryEvent> events = env.workflowClient.fetchHistory(workflowId).getEvents();
    Set<String> builds = new LinkedHashSet<>();
    List<String> summaries = new ArrayList<>();
    long failed = 0;
    for (HistoryEvent event : events) {
      if (event.hasWorkflowTaskCompletedEventAttributes()) {
        builds.add(event.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion().getBuildId());
      }
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
        failed++;
      }
      if ((event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
          || event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          && event.hasUserMetadata() && event.getUserMetadata().hasSummary()) {
        summaries.add(DATA.fromPayload(event.getUserMetadata().getSummary(), String.class, String.class));
      }
    }
    return new Run(workflowId, builds, summaries, failed,
        stub.describe().getRawDescription().getWorkflowExecutionInfo().getVersioningInfo());
  }

  private static String onlyBuild(Run run) {
    assertThat(run.builds()).as(run.workflowId() + ": every workflow task on one build").hasSize(1);
    return run.builds().iterator().next();
  }

  /**
   * Every workflow task of the order completed on {@code build}, it is pinned there, and its steps are
   * that build's: B's summaries all start with "B: ", A's none.
   */
  private void assertRanOn(Run run, String build) {
    assertThat(run.builds()).as(run.workflowId() + ": the build of every completed workflow task").containsExactly(build);
    assertThat(run.versioning().getBehavior()).as(run.workflowId()).isEqualTo(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    assertThat(run.versioning().getDeploymentVersion().getDeploymentName()).isEqualTo(WorkerDeployment.NAME);
    assertThat(run.versioning().getDeploymentVersion().getBuildId()).as(run.workflowId()).isEqualTo(build);
    assertThat(run.summaries()).as(run.workflowId() + ": its steps' summaries").isNotEmpty();
    if (build.equals(buildB)) {
      assertThat(run.summaries()).as(run.workflowId() + ": B's steps").allMatch(s -> s.startsWith(B_PREFIX));
    } else {
      assertThat(run.summaries()).as(run.workflowId() + ": A's steps").noneMatch(s -> s.startsWith(B_PREFIX));
    }
    assertThat(run.failedWorkflowTasks()).as(run.workflowId() + ": failed workflow tasks").isZero();
  }

  /** No order of this test had a workflow task fail, and no workers process logged a non-determinism error. */
  private void nothingFailedAnywhere() throws IOException {
    assertThat(orders).isNotEmpty();
    for (String workflowId : orders) {
      assertThat(run(workflowId).failedWorkflowTasks()).as(workflowId + ": failed workflow tasks").isZero();
    }
    for (Path log : workersLogs()) {
      String added = since(log, logsAtStart.getOrDefault(log, 0L));
      assertThat(NON_DETERMINISM.matcher(added).find()).as(log + " reports non-determinism:\n" + added).isFalse();
    }
  }

  private static List<Path> workersLogs() throws IOException {
    try (Stream<Path> files = Files.list(env.logs)) {
      return files.filter(f -> f.getFileName().toString().matches("workers-.*\\.log")).toList();
    }
  }

  private static String since(Path log, long offset) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      file.seek(Math.min(offset, file.length()));
      byte[] rest = new byte[(int) (file.length() - file.getFilePointer())];
      file.readFully(rest);
      return new String(rest, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
