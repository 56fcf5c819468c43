package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.devtools.postgres.LocalPostgres;
import com.example.orders.devtools.scratch.ScratchDirectory;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (built from the Go module proxy by ./run test) scrapes the api and the workers
 * exactly as an operator would configure it (docs/observability.md, Metrics: its own operator token by client
 * credentials), loads the alert rules, and answers queries for the business and SDK series.
 */
class PrometheusIT extends EndToEndTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private Process prometheus;
  private Path storage;
  private String prometheusUrl;

  @BeforeEach
  void startPrometheus() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "prometheus").toAbsolutePath());
    String targets = env.liveWorkerUrls().stream().map(url -> "\"" + URI.create(url).getAuthority() + "\"")
        .collect(Collectors.joining(", "));
    String relays = env.relays().stream().filter(Process::isAlive)
        .map(relay -> "\"" + URI.create(env.relayUrl(relay)).getAuthority() + "\"").collect(Collectors.joining(", "));
    String tokenEndpoint = "{client_id: operator, client_secret: operator-secret, token_url: \"" + env.issuerUrl + "/oauth2/token\"}";
    Files.writeString(dir.resolve("prometheus.yml"), """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: ["%s"]
        scrape_configs:
          - job_name: order-api
            metrics_path: /actuator/prometheus
            static_configs: [{targets: ["%s"]}]
            oauth2: %s
          - job_name: order-workers
            metrics_path: /actuator/prometheus
            static_configs: [{targets: [%s]}]
            oauth2: %s
          - job_name: order-relay
            metrics_path: /actuator/prometheus
            static_configs: [{targets: [%s]}]
            oauth2: %s
        """.formatted(Path.of("..", "config", "prometheus", "orders-alerts.yml").toAbsolutePath().normalize(),
        URI.create(env.apiUrl).getAuthority(), tokenEndpoint, targets, tokenEndpoint, relays, tokenEndpoint));
    int port = LocalPostgres.freePort();
    prometheusUrl = "http://127.0.0.1:" + port;
    storage = Files.createTempDirectory("orders-prometheus");
    prometheus = new ProcessBuilder(prometheusBinary(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    await("Prometheus scraping the api, every workers process and the relay").atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions() // it takes a moment to listen
        .until(() -> value("sum(up{job=\"order-api\"}) + sum(up{job=\"order-workers\"}) + sum(up{job=\"order-relay\"})")
            == 2 + env.liveWorkerUrls().size());
  }

  @AfterEach
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(20, TimeUnit.SECONDS);
      ScratchDirectory.deleteQuietly(storage);
    }
  }

  @Test
  void prometheusSeesEveryOutcomeAndTheSdkAndLoadsTheRules() throws Exception {
    double completed = value("sum(orders_completed_total) or vector(0)");
    double outOfStock = value("sum(orders_failed_total{reason=\"OUT_OF_STOCK\"}) or vector(0)");
    double submitted = value("sum(orders_submitted_total) or vector(0)");
    double published = value("sum(orders_outbox_events_published_total) or vector(0)");

    Api operator = env.client("operator");
    assertThat(operator.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30")
        .body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(operator.post("/orders", orderJson("user_1", "product_1", 200, ADDRESS_US), "Prefer", "wait=30")
        .body().get("status").asString()).isEqualTo("FAILED");

    await("the new orders in Prometheus").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(value("sum(orders_completed_total)")).isEqualTo(completed + 1);
          assertThat(value("sum(orders_failed_total{reason=\"OUT_OF_STOCK\"})")).isEqualTo(outOfStock + 1);
          assertThat(value("sum(orders_submitted_total)")).isEqualTo(submitted + 2);
          // each order's OrderPlaced and its outcome, published by the relay
          assertThat(value("sum(orders_outbox_events_published_total)")).isGreaterThanOrEqualTo(published + 4);
          assertThat(value("max(orders_outbox_events_parked)")).isZero();
        });
    await("the SDK's series in Prometheus").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(value("sum(temporal_workflow_task_schedule_to_start_latency_seconds_count)")).isPositive();
          assertThat(value("count(temporal_worker_task_slots_available)")).isPositive();
          assertThat(value("sum(http_server_requests_seconds_count{uri=\"/orders\"})")).isPositive();
        });
    // the step durations come as histogram buckets, so the dashboard's quantiles work across workers
    assertThat(value("count(orders_step_duration_seconds_bucket{step=\"reserveInventory\",outcome=\"succeeded\"})"))
        .as("buckets of reserveInventory's duration").isGreaterThan(10);

    JsonNode rules = get("/api/v1/rules").get("data").get("groups");
    List<String> loaded = rules.valueStream().flatMap(g -> g.get("rules").valueStream())
        .map(r -> r.get("name").asString() + ":" + r.get("health").asString()).toList();
    assertThat(loaded).hasSize(12).allMatch(rule -> rule.endsWith(":ok"));
  }

  /** The single value of an instant query; NaN when it returns nothing. */
  private double value(String query) throws IOException, InterruptedException {
    JsonNode result = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).get("data").get("result");
    return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String prometheusBinary() {
    String path = System.getenv("ORDERS_PROMETHEUS");
    if (path == null || !new File(path).canExecute()) {
      throw new IllegalStateException("This test needs Prometheus: run it with `./run test`, which builds it,"
          + " or set ORDERS_PROMETHEUS to a prometheus binary (was: " + path + ")");
    }
    return path;
  }
}
