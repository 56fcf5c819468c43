package com.example.orders.bench.load;

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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: order i is sent at {@code start + i / rate}, on its own virtual thread, whether
 * or not earlier orders have been answered. Latency is measured from that scheduled instant, not
 * from when the request actually left, so a stalled generator or server cannot hide queueing
 * (no coordinated omission).
 */
public final class LoadGenerator {

  public enum Kind {
    /** Sent with Prefer: wait; the response is the terminal order: times submit to terminal. */
    WAIT,
    /** Sent without Prefer; the response is 202 Accepted: times POST /orders itself. */
    ACCEPTED
  }

  /** One order of the schedule; {@code failing} orders ship to AQ and must end FAILED. */
  record Planned(int index, boolean warmup, Kind kind, boolean failing, String body) {}

  /** What happened to one order; written by its request thread, read after the run. */
  public static final class Sample {
    final Planned planned;
    final long scheduledNanos;
    volatile long sentNanos;
    volatile long doneNanos;
    volatile int http;
    volatile String orderId;
    volatile String status;
    volatile String reason;
    /** Server time the terminal status was written (the order's updatedAt), epoch ms; 0 if not terminal. */
    volatile long terminalEpochMillis;
    volatile String error;

    Sample(Planned planned, long scheduledNanos) {
      this.planned = planned;
      this.scheduledNanos = scheduledNanos;
    }

    boolean terminal() {
      return "COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
    }

    long latencyNanos() {
      return doneNanos - scheduledNanos;
    }
  }

  /** One sampler tick: backlog, CPU, memory, requests in flight. */
  record Tick(long nanoTime, TaskQueueProbe.Backlog backlog, ProcessProbe.CpuSample cpu,
      java.util.Map<String, Long> rssKib, int inFlight, double load1) {}

  /** Everything one stage produced, for {@link LoadReport}. */
  public record StageResult(LoadConfig config, long startNanos, long startEpochMillis, long measuredStartNanos,
      long scheduleEndNanos, long drainedNanos, List<Sample> samples, List<Tick> ticks,
      java.util.Map<String, Long> peakRssKib, List<ProcessProbe.Tracked> processes,
      double[] loadBefore, double[] loadAfter, int schedulerLateMax) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADDRESS = "{\"name\":\"Bench Buyer\",\"line1\":\"1 Load St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"%s\"}";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private AccessToken token;

  /** Gets an access token, then creates the bench customers and products (idempotent: PUT creates or updates). */
  public void setUp(LoadConfig config) throws InterruptedException {
    token = new AccessToken(http, config.tokenUrl(), config.client());
    List<String[]> puts = new ArrayList<>();
    for (int c = 0; c < config.customers(); c++) {
      puts.add(new String[] {"/customers/" + customer(c), "{\"name\":\"Bench customer " + c + "\",\"balance\":1000000000.00}"});
    }
    for (int s = 0; s < config.skus(); s++) {
      puts.add(new String[] {"/inventory/" + sku(s), "{\"name\":\"Bench product " + s + "\",\"price\":10.00,\"available\":1000000000}"});
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

  public StageResult run(LoadConfig config, ProcessProbe processes, TaskQueueProbe queue) throws InterruptedException {
    List<Planned> plan = plan(config);
    List<Sample> samples = new ArrayList<>(plan.size());
    AtomicInteger inFlight = new AtomicInteger();
    CountDownLatch answered = new CountDownLatch(plan.size());
    List<Tick> ticks = java.util.Collections.synchronizedList(new ArrayList<>());
    double[] loadBefore = ProcessProbe.loadAverage();

    long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long startEpochMillis = System.currentTimeMillis() + 200;
    double nanosPerOrder = 1e9 / config.rate();
    long measuredStartNanos = startNanos + Math.round(config.warmupOrders() * nanosPerOrder);
    long scheduleEndNanos = startNanos + Math.round(plan.size() * nanosPerOrder);

    Thread sampler = Thread.ofPlatform().daemon().name("bench-sampler").start(() -> {
      long next = System.nanoTime();
      while (!Thread.currentThread().isInterrupted()) {
        ticks.add(new Tick(System.nanoTime(), queue.backlog(), processes.sample(), processes.rssKib(),
            inFlight.get(), ProcessProbe.loadAverage()[0]));
        next += 1_000_000_000L;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          LockSupport.parkNanos(sleep);
        }
      }
    });

    int lateMaxMillis = 0;
    try {
      for (Planned p : plan) {
        long at = startNanos + Math.round(p.index() * nanosPerOrder);
        long wait;
        while ((wait = at - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        lateMaxMillis = (int) Math.max(lateMaxMillis, (System.nanoTime() - at) / 1_000_000);
        Sample sample = new Sample(p, at);
        samples.add(sample);
        inFlight.incrementAndGet();
        Thread.ofVirtual().start(() -> {
          try {
            send(config, sample);
          } finally {
            inFlight.decrementAndGet();
            answered.countDown();
          }
        });
      }
      // every request has a timeout of wait + 15 s, so this is bounded
      if (!answered.await(config.waitSeconds() + 30L, TimeUnit.SECONDS)) {
        System.err.println("warning: " + answered.getCount() + " requests still unanswered; counted as errors");
      }
      resolveAccepted(config, samples);
    } finally {
      sampler.interrupt();
      sampler.join(5000);
    }
    long drained = System.nanoTime();
    return new StageResult(config, startNanos, startEpochMillis, measuredStartNanos, scheduleEndNanos, drained,
        List.copyOf(samples), List.copyOf(ticks), processes.peakRssKib(), processes.tracked(), loadBefore,
        ProcessProbe.loadAverage(), lateMaxMillis);
  }

  private void send(LoadConfig config, Sample sample) {
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
  private void resolveAccepted(LoadConfig config, List<Sample> samples) throws InterruptedException {
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

  static List<Planned> plan(LoadConfig config) {
    SplittableRandom random = new SplittableRandom(config.seed());
    int total = config.totalOrders();
    List<Planned> plan = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      boolean failing = random.nextDouble() < config.failFraction();
      Kind kind = random.nextDouble() < config.acceptedFraction() ? Kind.ACCEPTED : Kind.WAIT;
      String customer = customer(random.nextInt(config.customers()));
      StringBuilder items = new StringBuilder();
      int first = random.nextInt(config.skus());
      for (int line = 0; line < config.itemsPerOrder(); line++) {
        if (line > 0) {
          items.append(',');
        }
        items.append("{\"sku\":\"").append(sku((first + line) % config.skus())).append("\",\"quantity\":1}");
      }
      String body = "{\"customerId\":\"" + customer + "\",\"items\":[" + items + "],\"shippingAddress\":"
          + String.format(Locale.ROOT, ADDRESS, failing ? "AQ" : "US") + "}";
      plan.add(new Planned(i, i < config.warmupOrders(), kind, failing, body));
    }
    return plan;
  }

  static String customer(int i) {
    return String.format(Locale.ROOT, "bench-c-%05d", i);
  }

  static String sku(int i) {
    return String.format(Locale.ROOT, "bench-sku-%04d", i);
  }
}
