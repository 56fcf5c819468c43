package com.example.orders.systemtests;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;

/** Shared moves of the reliability suites: load, faults, waiting, and the figures they report. */
final class Reliability {

  /** This engine's figures: target/reliability-figures.txt, on the real server ...-server.txt. */
  static final Path FIGURES = EndToEndEnvironment.Engine.current().output("reliability-figures.txt");

  private Reliability() {}

  /** Submits {@code n} orders at once (body i from {@code body}); returns the responses in order. */
  static List<Api.Response> submitConcurrently(Api api, int n, IntFunction<String> body, String... headers)
      throws Exception {
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(clients.submit(() -> api.post("/orders", body.apply(index), headers)));
      }
      List<Api.Response> responses = new ArrayList<>();
      for (Future<Api.Response> f : futures) {
        responses.add(f.get());
      }
      return responses;
    } finally {
      clients.shutdown();
    }
  }

  /**
   * Polls GET /orders/{id} until every order is terminal and its workflow has closed; returns the final
   * orders. The row turns terminal inside a workflow task, before the history records it: if the engine
   * lost that task (restarted), a retry replays the steps, and after the next test's demo reset its
   * first step would write the order's row again.
   */
  static List<JsonNode> awaitTerminal(Api api, List<String> orderIds, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    List<JsonNode> finals = new ArrayList<>();
    for (String orderId : orderIds) {
      finals.add(await("order " + orderId + " terminal")
          .atMost(untilDeadline(deadline))
          .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
          .until(() -> api.get("/orders/" + orderId), response -> response.status() == 200
              && List.of("COMPLETED", "FAILED", "CANCELLED").contains(response.body().get("status").asString()))
          .body());
      WorkflowStub workflow = EndToEndEnvironment.get().workflowClient.newUntypedWorkflowStub(OrderContract.workflowId(orderId));
      await("workflow of order " + orderId + " closed")
          .atMost(untilDeadline(deadline))
          .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
          .until(() -> workflow.describe().getStatus(), status -> status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
    return finals;
  }

  private static Duration untilDeadline(Instant deadline) {
    return Duration.between(Instant.now(), deadline).plusMillis(1); // at least one look, however late
  }

  static Map<String, Integer> countByOutcome(List<JsonNode> orders) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode order : orders) {
      String outcome = order.get("status").asString();
      if (order.hasNonNull("failure")) {
        outcome += "/" + order.get("failure").get("reason").asString();
      }
      counts.merge(outcome, 1, Integer::sum);
    }
    return counts;
  }

  static List<String> orderIds(List<Api.Response> responses) {
    List<String> ids = new ArrayList<>();
    for (Api.Response r : responses) {
      assertThat(r.status()).as(r.raw()).isIn(200, 202);
      ids.add(r.body().get("orderId").asString());
    }
    return ids;
  }

  private static boolean figuresStarted;

  /**
   * Prints one scenario's figures and writes them to {@link #FIGURES} (this run's only); on the real
   * server the line says so: RELIABILITY[server].
   */
  static synchronized void report(String scenario, int orders, Map<String, Integer> outcomes, int faults, int lost) {
    String engine = EndToEndEnvironment.Engine.current() == EndToEndEnvironment.Engine.DEV ? "" : "[server]";
    String line = "RELIABILITY%s %-44s orders=%-4d faults=%-3d lost=%d outcomes=%s"
        .formatted(engine, scenario, orders, faults, lost, outcomes);
    System.out.println(line);
    try {
      Files.createDirectories(FIGURES.getParent());
      Files.writeString(FIGURES, line + System.lineSeparator(), StandardOpenOption.CREATE,
          figuresStarted ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      figuresStarted = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
