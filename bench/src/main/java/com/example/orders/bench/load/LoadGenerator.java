package com.example.orders.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
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
  record Planned(int index, boolean warmup, Kind kind, boolean failing, String customer, List<String> skus, String body) {}

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

  private static final String ADDRESS = "{\"name\":\"Bench Buyer\",\"line1\":\"1 Load St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"%s\"}";

  private final OrderChannel channel;

  public LoadGenerator(OrderChannel channel) {
    this.channel = channel;
  }

  /** Creates what the orders need (bench customers and products, or the ceiling's worker). */
  public void setUp(LoadConfig config) throws InterruptedException {
    channel.setUp(config);
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
            channel.send(config, sample);
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
      channel.resolveAccepted(config, samples);
    } finally {
      sampler.interrupt();
      sampler.join(5000);
    }
    long drained = System.nanoTime();
    return new StageResult(config, startNanos, startEpochMillis, measuredStartNanos, scheduleEndNanos, drained,
        List.copyOf(samples), List.copyOf(ticks), processes.peakRssKib(), processes.tracked(), loadBefore,
        ProcessProbe.loadAverage(), lateMaxMillis);
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
      List<String> skus = new ArrayList<>();
      int first = random.nextInt(config.skus());
      for (int line = 0; line < config.itemsPerOrder(); line++) {
        if (line > 0) {
          items.append(',');
        }
        skus.add(sku((first + line) % config.skus()));
        items.append("{\"sku\":\"").append(skus.getLast()).append("\",\"quantity\":1}");
      }
      String body = "{\"customerId\":\"" + customer + "\",\"items\":[" + items + "],\"shippingAddress\":"
          + String.format(Locale.ROOT, ADDRESS, failing ? "AQ" : "US") + "}";
      plan.add(new Planned(i, i < config.warmupOrders(), kind, failing, customer, List.copyOf(skus), body));
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
