package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /actuator/prometheus on the api and every workers process, scraped as Prometheus would (with an
 * operator's token): business counters move by exactly the orders placed, and the HTTP, pool, JVM
 * and Temporal SDK series are there. No order, customer or tracking id is ever a label.
 */
class MetricsIT extends EndToEndTest {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Test
  void businessAndSdkMetricsOfEveryOutcome() throws Exception {
    List<String> apiBefore = scrape(env.apiUrl);
    List<String> workersBefore = scrapeWorkers();

    Api operator = env.client("operator");
    assertThat(operator.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30")
        .body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(operator.post("/orders", orderJson("user_1", "product_1", 200, ADDRESS_US), "Prefer", "wait=30")
        .body().get("failure").get("reason").asString()).isEqualTo("OUT_OF_STOCK");
    assertThat(operator.post("/orders", orderJson("user_2", "product_2", 1, ADDRESS_US.replace("\"US\"", "\"AQ\"")),
        "Prefer", "wait=30").body().get("failure").get("reason").asString()).isEqualTo("UNDELIVERABLE_ADDRESS");
    String cancelled;
    try (Connection lock = holdProductLock("product_3")) {
      cancelled = operator.post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US)).body().get("orderId").asString();
      assertThat(operator.post("/orders/" + cancelled + "/cancel", "").status()).isIn(200, 202);
      lock.rollback();
    }
    Reliability.awaitTerminal(operator, List.of(cancelled), Duration.ofSeconds(60));

    List<String> api = scrape(env.apiUrl);
    List<String> workers = scrapeWorkers();
    assertThat(delta("orders_submitted_total", "", apiBefore, api)).isEqualTo(4);
    assertThat(delta("orders_cancel_requests_total", "outcome=\"accepted\"", apiBefore, api)).isEqualTo(1);
    assertThat(delta("orders_completed_total", "", workersBefore, workers)).isEqualTo(1);
    assertThat(delta("orders_failed_total", "reason=\"OUT_OF_STOCK\"", workersBefore, workers)).isEqualTo(1);
    assertThat(delta("orders_failed_total", "reason=\"UNDELIVERABLE_ADDRESS\"", workersBefore, workers)).isEqualTo(1);
    assertThat(delta("orders_cancelled_total", "", workersBefore, workers)).isEqualTo(1);
    // the undeliverable order refunded its charge: one compensation that succeeded
    assertThat(delta("orders_step_duration_seconds_count", "kind=\"compensation\",outcome=\"succeeded\",step=\"refundPayment\"",
        workersBefore, workers)).isGreaterThanOrEqualTo(1);
    assertThat(delta("orders_step_duration_seconds_count", "kind=\"forward\",outcome=\"refused\",step=\"createShipment\"",
        workersBefore, workers)).isEqualTo(1);

    // the rest of the picture an operator alerts on
    assertThat(api).anyMatch(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("uri=\"/orders\""));
    assertThat(api).anyMatch(l -> l.startsWith("hikaricp_connections"));
    assertThat(api).anyMatch(l -> l.startsWith("jvm_memory_used_bytes"));
    assertThat(api).anyMatch(l -> l.startsWith("temporal_request"));
    assertThat(api).contains("orders_stuck_compensating 0.0");
    // the SDK reports into Micrometer every 10 s: a workers process started by an earlier test may not have yet
    await("the Temporal SDK's worker series").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          List<String> now = scrapeWorkers();
          for (String sdk : List.of("temporal_workflow_task_schedule_to_start_latency", "temporal_workflow_task_execution_latency",
              "temporal_activity_execution_latency", "temporal_worker_task_slots_available", "temporal_sticky_cache")) {
            assertThat(now).as("workers series %s", sdk).anyMatch(l -> l.startsWith(sdk));
          }
        });
    for (String line : concat(api, workers)) {
      Matcher labels = SAMPLE.matcher(line);
      if (labels.find() && labels.group(2) != null) {
        assertThat(UUID.matcher(labels.group(2)).find()).as("an id as a label: %s", line).isFalse();
        assertThat(labels.group(2)).as("a customer as a label: %s", line).doesNotContain("user_");
      }
    }
  }

  @Test
  void onlyOperatorsReadMetrics() {
    for (String base : concat(List.of(env.apiUrl), env.liveWorkerUrls())) {
      Api at = new Api(base, null);
      assertThat(at.get("/actuator/prometheus").status()).as("%s without a token", base).isEqualTo(401);
      assertThat(at.withToken(env.token("user_1")).get("/actuator/prometheus").status()).as("%s as a customer", base)
          .isEqualTo(403);
      assertThat(at.withToken(env.token("operator")).get("/actuator/prometheus").status()).isEqualTo(200);
      assertThat(at.get("/actuator/health").status()).as("health stays public").isEqualTo(200);
    }
  }

  private static List<String> scrape(String base) {
    Api.Response response = new Api(base, env.token("operator")).get("/actuator/prometheus");
    assertThat(response.status()).as("%s/actuator/prometheus", base).isEqualTo(200);
    return response.raw().lines().filter(l -> !l.startsWith("#")).toList();
  }

  private static List<String> scrapeWorkers() {
    List<String> all = new ArrayList<>();
    env.liveWorkerUrls().forEach(url -> all.addAll(scrape(url)));
    return all;
  }

  /** How much the samples of {@code name} whose labels contain {@code labels} grew between two scrapes. */
  private static long delta(String name, String labels, List<String> before, List<String> after) {
    return Math.round(sum(name, labels, after) - sum(name, labels, before));
  }

  private static double sum(String name, String labels, List<String> samples) {
    double total = 0;
    for (String line : samples) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.find() && sample.group(1).equals(name)
          && (labels.isEmpty() || (sample.group(2) != null && sample.group(2).contains(labels)))) {
        total += Double.parseDouble(sample.group(3));
      }
    }
    return total;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
