package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.temporal.access.TemporalAccess;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against a stub API that takes 100 ms per order: open loop (every scheduled order
 * is sent although each takes 100 ms), latency from the scheduled time, outcomes checked, and the
 * report written. No real service, so it stays cheap enough for ./run test.
 */
class LoadGeneratorSmokeTest {

  @TempDir Path dir;

  @Test
  void sendsOnScheduleAndReportsEveryOrder() throws Exception {
    AtomicInteger posts = new AtomicInteger();
    AtomicInteger tokensIssued = new AtomicInteger();
    AtomicInteger unauthenticated = new AtomicInteger();
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    api.createContext("/oauth2/token", exchange -> {
      boolean basic = ("Basic " + Base64.getEncoder().encodeToString("operator:operator-secret".getBytes(StandardCharsets.UTF_8)))
          .equals(exchange.getRequestHeaders().getFirst("Authorization"));
      tokensIssued.incrementAndGet();
      respond(exchange, basic ? 200 : 401, basic ? "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}" : "{}");
    });
    api.createContext("/", exchange -> {
      if (!"Bearer bench-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        unauthenticated.incrementAndGet();
        respond(exchange, 401, "{}");
        return;
      }
      if (exchange.getRequestMethod().equals("PUT")) {
        respond(exchange, 200, "{}");
        return;
      }
      posts.incrementAndGet();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean failing = body.contains("\"country\":\"AQ\"");
      boolean waits = exchange.getRequestHeaders().getFirst("Prefer") != null;
      sleep(100);
      String status = !waits ? "PENDING" : failing ? "FAILED" : "COMPLETED";
      respond(exchange, waits ? 200 : 202, "{\"orderId\":\"" + UUID.randomUUID() + "\",\"status\":\"" + status + "\","
          + (failing && waits ? "\"failure\":{\"reason\":\"UNDELIVERABLE_ADDRESS\"}," : "")
          + "\"updatedAt\":\"" + OffsetDateTime.now() + "\"}");
    });
    api.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + api.getAddress().getPort());
      LoadConfig config = new LoadConfig(base, base.resolve("/oauth2/token"), "operator:operator-secret",
          "127.0.0.1:1", "default", 40, 2, 0, 3, 3, 1, 0.25, 0.0, 5, 7, dir, dir.resolve("results"), "smoke");
      LoadGenerator generator = new LoadGenerator(new HttpOrders());
      generator.setUp(config);
      LoadGenerator.StageResult result;
      try (TaskQueueProbe queue = new TaskQueueProbe(config.temporalTarget(), "default", TemporalAccess.plaintext())) {
        result = generator.run(config, ProcessProbe.discover(dir), queue);
      }
      LoadReport.Summary s = LoadReport.summarize(result);

      assertThat(posts.get()).isEqualTo(80);
      assertThat(tokensIssued.get()).as("one token for the whole run").isEqualTo(1);
      assertThat(unauthenticated.get()).as("requests without the bearer token").isZero();
      assertThat(s.measuredOrders()).isEqualTo(80);
      assertThat(s.errorCount()).isZero();
      assertThat(s.terminalOrders()).isEqualTo(80);
      assertThat(s.failedOrders()).isBetween(5, 40);
      // 100 ms of service time, measured from the scheduled send
      assertThat(s.submitToTerminal().p50()).isBetween(100.0, 1000.0);
      // 40/s offered, answered within 100 ms each: the open loop keeps ~4 in flight and all 80 finish in ~2 s
      assertThat(s.terminalPerSecond()).isBetween(30.0, 41.0);
      assertThat(s.notSustainedBecause()).anyMatch(reason -> reason.contains("backlog unknown"));

      Path json = LoadReport.write(config.resultsDir(), "smoke", java.util.Map.of("summary", s), java.util.List.of(s),
          java.util.List.of(LoadReport.timeline(result)));
      assertThat(Files.readString(json)).contains("\"terminalPerSecond\"");
      assertThat(Files.readString(Path.of(json.toString().replace(".json", ".html")))).contains("<svg");
      assertThat(LoadReport.table(s)).contains("submit -> COMPLETED");
    } finally {
      api.stop(0);
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
