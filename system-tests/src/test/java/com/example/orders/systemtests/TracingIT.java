package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One order is one trace: the api's POST /orders, the workflow start, the workflow run in a workers
 * process and each of the four activities, with correct parent links, exported over OTLP; and the
 * api's log line for the order carries the trace id, so an operator goes from an order to its trace.
 */
class TracingIT extends EndToEndTest {

  @Test
  void anOrderIsOneTraceFromTheRequestThroughEveryActivity() throws Exception {
    Api.Response placed = env.client("operator").post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US),
        "Prefer", "wait=30");
    assertThat(placed.body().get("status").asString()).isEqualTo("COMPLETED");
    String orderId = placed.body().get("orderId").asString();

    List<String> expected = List.of("StartWorkflow:OrderWorkflow", "RunWorkflow:OrderWorkflow",
        "RunActivity:reserveInventory", "RunActivity:chargePayment", "RunActivity:createShipment",
        "RunActivity:confirmOrder");
    // the trace whose workflow start carried this order's workflow id is found through the api's log line
    String traceId = await("the order's log line with its trace id").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> traceIdLogged(orderId), id -> id != null);
    await("the order's spans from the api and the workers").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(spanNames(traceId)).containsAll(expected));

    List<OtlpReceiver.Span> trace = env.traces().spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    Set<String> ids = trace.stream().map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
    List<OtlpReceiver.Span> roots = trace.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
    assertThat(roots).as("one root: the api's request").hasSize(1);
    assertThat(roots.get(0).service()).isEqualTo("order-api");
    assertThat(trace).as("every parent is in the trace").allMatch(s -> s.parentSpanId().isEmpty() || ids.contains(s.parentSpanId()));
    assertThat(trace.stream().filter(s -> s.name().startsWith("RunActivity:")).map(OtlpReceiver.Span::service))
        .containsOnly("order-workers");
    // the database work of each activity: spans whose parent is a RunActivity span
    Set<String> activitySpans = trace.stream().filter(s -> s.name().startsWith("RunActivity:"))
        .map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
    assertThat(trace.stream().filter(s -> activitySpans.contains(s.parentSpanId())).map(OtlpReceiver.Span::name))
        .as("spans under the activities").isNotEmpty();
    OtlpReceiver.Span start = trace.stream().filter(s -> s.name().equals("StartWorkflow:OrderWorkflow")).findFirst().orElseThrow();
    assertThat(start.service()).isEqualTo("order-api");
    System.out.println("TRACE " + traceId + ": " + trace.size() + " spans " + spanNames(traceId));
  }

  private static List<String> spanNames(String traceId) {
    return env.traces().spans().stream().filter(s -> s.traceId().equals(traceId)).map(OtlpReceiver.Span::name).toList();
  }

  /** The trace id in the api's "Order ... accepted" log line (Spring Boot's logging correlation: trace and span id). */
  private static String traceIdLogged(String orderId) throws Exception {
    return Files.readAllLines(env.logs.resolve("api.log")).stream()
        .filter(line -> line.contains("Order " + orderId + " accepted"))
        .map(line -> line.replaceFirst(".*?\\b([0-9a-f]{32})\\W+[0-9a-f]{16}\\b.*", "$1"))
        .filter(id -> id.matches("[0-9a-f]{32}"))
        .findFirst().orElse(null);
  }
}
