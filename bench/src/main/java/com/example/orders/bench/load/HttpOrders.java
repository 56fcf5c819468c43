package com.example.orders.bench.load;

import com.example.orders.bench.load.LoadGenerator.Kind;
import com.example.orders.bench.load.LoadGenerator.Sample;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Orders through the api, as its clients send them: POST /orders with a bearer token. */
final class HttpOrders implements OrderChannel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private AccessToken token;

  /** Gets an access token, then creates the bench customers and products (idempotent: PUT creates or updates). */
  @Override
  public void setUp(LoadConfig config) throws InterruptedException {
    token = new AccessToken(http, config.tokenUrl(), config.client());
    List<String[]> puts = new ArrayList<>();
    for (int c = 0; c < config.customers(); c++) {
      puts.add(new String[] {"/customers/" + LoadGenerator.customer(c), "{\"name\":\"Bench customer " + c + "\",\"balance\":1000000000.00}"});
    }
    for (int s = 0; s < config.skus(); s++) {
      puts.add(new String[] {"/inventory/" + LoadGenerator.sku(s), "{\"name\":\"Bench product " + s + "\",\"price\":10.00,\"available\":1000000000}"});
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (String[] put : puts) {
        done.add(pool.submit(() -> {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(config.api().resolve(put[0]))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", token.bearer())
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(put[1])).build(), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + put[0] + " answered " + response.statusCode() + ": " + response.body());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("setting up the bench data failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
  }

  @Override
  public void send(LoadConfig config, Sample sample) {
    HttpRequest.Builder request = HttpRequest.newBuilder(config.api().resolve("/orders"))
        .timeout(Duration.ofSeconds(config.waitSeconds() + 15L))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(sample.planned.body()));
    if (sample.planned.kind() == Kind.WAIT) {
      request.header("Prefer", "wait=" + config.waitSeconds());
    }
    try {
      request.header("Authorization", token.bearer()); // cached, renewed once in its lifetime
      sample.sentNanos = System.nanoTime();
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      sample.doneNanos = System.nanoTime();
      sample.http = response.statusCode();
      if (response.statusCode() == 200 || response.statusCode() == 202) {
        readOrder(sample, JSON.readTree(response.body()));
      } else {
        sample.error = "HTTP " + response.statusCode();
      }
    } catch (IOException e) {
      sample.doneNanos = System.nanoTime();
      sample.error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sample.error = "interrupted";
    } catch (RuntimeException e) {
      sample.doneNanos = System.nanoTime();
      sample.error = e.toString();
    }
  }

  private static void readOrder(Sample sample, JsonNode order) {
    sample.orderId = order.path("orderId").asText(null);
    sample.status = order.path("status").asText(null);
    sample.reason = order.path("failure").path("reason").asText(null);
    if (sample.terminal()) {
      sample.terminalEpochMillis = OffsetDateTime.parse(order.path("updatedAt").asText()).toInstant().toEpochMilli();
    }
  }

  /**
   * Orders sent without Prefer: wait are timed to 202 only; their outcome (and when they reached it,
   * the order's updatedAt) is read afterwards with GET, just to count them. Bounded in time.
   */
  @Override
  public void resolveAccepted(LoadConfig config, List<Sample> samples) throws InterruptedException {
    List<Sample> open = samples.stream()
        .filter(s -> s.planned.kind() == Kind.ACCEPTED && s.orderId != null && !s.terminal()).toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.waitSeconds() + 30L);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Sample s : open) {
        pool.submit(() -> {
          while (System.nanoTime() < deadline && !s.terminal()) {
            try {
              HttpResponse<String> response = http.send(HttpRequest.newBuilder(config.api().resolve("/orders/" + s.orderId))
                  .header("Authorization", token.bearer())
                  .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() == 200) {
                JsonNode order = JSON.readTree(response.body());
                String status = order.path("status").asText(null);
                if ("COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status)) {
                  readOrder(s, order);
                  return null;
                }
              }
            } catch (IOException ignored) {
              // try again until the deadline
            }
            Thread.sleep(200);
          }
          return null;
        });
      }
    }
  }
}
