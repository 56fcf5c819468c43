package com.example.orders.bench.load;

import com.example.orders.bench.load.LoadGenerator.Kind;
import com.example.orders.bench.load.LoadGenerator.Sample;
import com.example.orders.bench.load.LoadGenerator.StageResult;
import com.example.orders.bench.load.LoadGenerator.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Turns a stage's raw samples into the figures: table on stdout, JSON and HTML files. */
public final class LoadReport {

  /** The headline figures of one stage (also the JSON's {@code summary}). */
  public record Summary(
      String label,
      String startedAt,
      int cores,
      double memoryGiB,
      double[] loadAverageBefore,
      double[] loadAverageAfter,
      double loadAverageDuring,
      double offeredRate,
      int durationSeconds,
      int warmupSeconds,
      double failFraction,
      double acceptedFraction,
      int measuredOrders,
      int terminalOrders,
      int completedOrders,
      int failedOrders,
      double terminalPerSecond,
      double completedPerSecond,
      double lastTerminalAfterSeconds,
      Latency accepted,
      Latency submitToTerminal,
      Latency submitToCompleted,
      Latency submitToFailed,
      Map<String, Integer> errors,
      int errorCount,
      Map<String, Long> peakRssMiB,
      Map<String, Double> cpuCores,
      long backlogMax,
      long backlogLast,
      double backlogTrendPerSecond,
      boolean backlogFlat,
      int schedulerLateMaxMillis,
      List<String> notSustainedBecause) {

    public boolean sustained() {
      return notSustainedBecause.isEmpty();
    }
  }

  /** Limits a stage must meet to count as sustained (step-up criteria). */
  public static final double P99_LIMIT_MS = 1000;

  private LoadReport() {}

  public static Summary summarize(StageResult r) {
    LoadConfig c = r.config();
    List<Sample> measured = r.samples().stream().filter(s -> !s.planned.warmup()).toList();
    long measuredStartEpoch = toEpochMillis(r, r.measuredStartNanos());

    List<Double> accepted = new ArrayList<>();
    List<Double> terminal = new ArrayList<>();
    List<Double> completed = new ArrayList<>();
    List<Double> failed = new ArrayList<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    int terminalCount = 0;
    int completedCount = 0;
    int failedCount = 0;
    long lastTerminalEpoch = measuredStartEpoch;
    for (Sample s : measured) {
      if (s.error != null) {
        errors.merge(s.error.startsWith("HTTP") ? s.error : "client: " + s.error.split(":")[0], 1, Integer::sum);
        continue;
      }
      double ms = s.latencyNanos() / 1e6;
      if (s.planned.kind() == Kind.ACCEPTED) {
        if (s.http == 202 || s.http == 200) {
          accepted.add(ms);
        }
      } else if (s.terminal()) {
        terminal.add(ms);
        ("COMPLETED".equals(s.status) ? completed : failed).add(ms);
      } else {
        errors.merge("not terminal within Prefer: wait", 1, Integer::sum);
      }
      if (!s.terminal()) {
        if (s.planned.kind() == Kind.ACCEPTED) {
          errors.merge("accepted but not terminal after the drain", 1, Integer::sum);
        }
        continue;
      }
      terminalCount++;
      lastTerminalEpoch = Math.max(lastTerminalEpoch, s.terminalEpochMillis);
      boolean expected = s.planned.failing()
          ? "FAILED".equals(s.status) && "UNDELIVERABLE_ADDRESS".equals(s.reason)
          : "COMPLETED".equals(s.status);
      if (!expected) {
        errors.merge("unexpected outcome " + s.status + (s.reason == null ? "" : "/" + s.reason), 1, Integer::sum);
      }
      if ("COMPLETED".equals(s.status)) {
        completedCount++;
      } else if ("FAILED".equals(s.status)) {
        failedCount++;
      }
    }
    // Throughput is what reached a terminal status inside the measured window (warm-up orders that end in
    // it included, as in any steady state). Measured orders that never do are errors; how late the last
    // one ended is its latency's business (p99), not throughput's.
    long windowEndEpoch = measuredStartEpoch + c.durationSeconds() * 1000L;
    int terminalInWindow = 0;
    int completedInWindow = 0;
    for (Sample s : r.samples()) {
      if (s.terminal() && s.terminalEpochMillis >= measuredStartEpoch && s.terminalEpochMillis < windowEndEpoch) {
        terminalInWindow++;
        completedInWindow += "COMPLETED".equals(s.status) ? 1 : 0;
      }
    }
    double lastTerminalAfterSeconds = (lastTerminalEpoch - measuredStartEpoch) / 1000.0;

    // CPU and backlog over the measured window: from the last tick before it to the last tick in it
    List<Tick> window = r.ticks().stream()
        .filter(t -> t.nanoTime() >= r.measuredStartNanos() - 1_000_000_000L && t.nanoTime() <= r.scheduleEndNanos())
        .toList();
    Map<String, Double> cpu = new LinkedHashMap<>();
    if (window.size() >= 2) {
      Tick first = window.getFirst();
      Tick last = window.getLast();
      double wall = (last.nanoTime() - first.nanoTime()) / 1e9;
      double ours = 0;
      for (String group : new TreeSet<>(last.cpu().groupTicks().keySet())) {
        double cores = (last.cpu().groupTicks().get(group) - first.cpu().groupTicks().getOrDefault(group, 0L))
            / ProcessProbe.TICKS_PER_SECOND / wall;
        cpu.put(group, round2(cores));
        ours += cores;
      }
      int ncpu = Runtime.getRuntime().availableProcessors();
      long totalTicks = last.cpu().machineTotalTicks() - first.cpu().machineTotalTicks();
      double busy = totalTicks == 0 ? 0
          : (double) (last.cpu().machineBusyTicks() - first.cpu().machineBusyTicks()) / totalTicks * ncpu;
      cpu.put("other processes", round2(Math.max(0, busy - ours)));
      cpu.put("idle", round2(Math.max(0, ncpu - busy)));
    }
    List<Tick> known = window.stream().filter(t -> t.backlog().total() >= 0).toList();
    long backlogMax = known.stream().mapToLong(t -> t.backlog().total()).max().orElse(-1);
    long backlogLast = known.isEmpty() ? -1 : known.getLast().backlog().total();
    double trend = slope(known, r.measuredStartNanos());
    boolean flat = !known.isEmpty() && trend * c.durationSeconds() < Math.max(20, c.rate());
    double loadDuring = window.stream().mapToDouble(Tick::load1).average().orElse(Double.NaN);

    Map<String, Long> rssMiB = new LinkedHashMap<>();
    r.peakRssKib().forEach((name, kib) -> rssMiB.put(name, Math.round(kib / 1024.0)));

    Latency terminalLatency = Latency.of(unbox(terminal));
    int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
    double terminalPerSecond = (double) terminalInWindow / c.durationSeconds();
    List<String> why = new ArrayList<>();
    if (errorCount > 0) {
      why.add(errorCount + " errors");
    }
    if (terminalPerSecond < 0.97 * c.rate()) {
      why.add(String.format(Locale.ROOT, "throughput %.1f/s < 97%% of offered %.1f/s", terminalPerSecond, c.rate()));
    }
    if (!(terminalLatency.p99() < P99_LIMIT_MS)) {
      why.add(String.format(Locale.ROOT, "p99 submit->terminal %.0f ms >= %.0f ms", terminalLatency.p99(), P99_LIMIT_MS));
    }
    if (!flat) {
      why.add(known.isEmpty() ? "backlog unknown (Temporal did not answer DescribeTaskQueue)"
          : String.format(Locale.ROOT, "backlog grows %.1f tasks/s", trend));
    }
    return new Summary(
        c.label(),
        DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(r.startEpochMillis()).atOffset(ZoneOffset.UTC)),
        Runtime.getRuntime().availableProcessors(),
        round2(memTotalKib() / 1024.0 / 1024.0),
        r.loadBefore(), r.loadAfter(), round2(loadDuring),
        c.rate(), c.durationSeconds(), c.warmupSeconds(), c.failFraction(), c.acceptedFraction(),
        measured.size(), terminalCount, completedCount, failedCount,
        round2(terminalPerSecond), round2((double) completedInWindow / c.durationSeconds()), round2(lastTerminalAfterSeconds),
        Latency.of(unbox(accepted)), terminalLatency, Latency.of(unbox(completed)), Latency.of(unbox(failed)),
        errors, errorCount, rssMiB, cpu, backlogMax, backlogLast, round2(trend), flat, r.schedulerLateMax(),
        why);
  }

  public static String table(Summary s) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n== %s: %.1f orders/s offered, %d s measured after %d s warm-up (%s) ==%n",
        s.label(), s.offeredRate(), s.durationSeconds(), s.warmupSeconds(), s.startedAt()));
    out.append(String.format(Locale.ROOT, "machine: %d cores, %.1f GiB; load average (1 min) %.2f before, %.2f during, %.2f after%n",
        s.cores(), s.memoryGiB(), s.loadAverageBefore()[0], s.loadAverageDuring(), s.loadAverageAfter()[0]));
    out.append(String.format(Locale.ROOT, "orders: %d measured; %.0f%% ship to AQ (must end FAILED), %.0f%% timed to 202 without Prefer: wait%n%n",
        s.measuredOrders(), s.failFraction() * 100, s.acceptedFraction() * 100));
    out.append("throughput                          orders/s\n");
    out.append(String.format(Locale.ROOT, "  terminal (COMPLETED + FAILED)   %8.1f   (offered %.1f; %d of %d orders; the last %.1f s after the window began)%n",
        s.terminalPerSecond(), s.offeredRate(), s.terminalOrders(), s.measuredOrders(), s.lastTerminalAfterSeconds()));
    out.append(String.format(Locale.ROOT, "  COMPLETED                       %8.1f%n%n", s.completedPerSecond()));
    out.append("latency (ms, from the scheduled send)      n      p50      p90      p99      max\n");
    row(out, "  POST /orders -> 202 Accepted", s.accepted());
    row(out, "  submit -> terminal (Prefer: wait)", s.submitToTerminal());
    row(out, "    submit -> COMPLETED", s.submitToCompleted());
    row(out, "    submit -> FAILED (compensated)", s.submitToFailed());
    out.append(String.format(Locale.ROOT, "%nerrors: %s%n", s.errorCount() == 0 ? "none" : s.errorCount() + " " + s.errors()));
    out.append("peak RSS (VmHWM):   ");
    s.peakRssMiB().forEach((name, mib) -> out.append(name).append(' ').append(mib).append(" MiB   "));
    out.append(String.format(Locale.ROOT, "%nCPU (cores, of %d): ", s.cores()));
    s.cpuCores().forEach((name, cores) -> out.append(String.format(Locale.ROOT, "%s %.2f   ", name, cores)));
    out.append(String.format(Locale.ROOT, "%ntask-queue backlog: max %d, at end %d, trend %+.2f tasks/s (%s)%n",
        s.backlogMax(), s.backlogLast(), s.backlogTrendPerSecond(), s.backlogFlat() ? "flat" : "GROWING"));
    if (s.schedulerLateMaxMillis() > 50) {
      out.append("note: the generator sent up to ").append(s.schedulerLateMaxMillis())
          .append(" ms late (latency still counts from the scheduled time)\n");
    }
    out.append(s.sustained() ? "verdict: sustained\n" : "verdict: NOT sustained: " + String.join("; ", s.notSustainedBecause()) + "\n");
    return out.toString();
  }

  private static void row(StringBuilder out, String name, Latency l) {
    out.append(String.format(Locale.ROOT, "%-40s %6d %8.1f %8.1f %8.1f %8.1f%n", name, l.count(), l.p50(), l.p90(), l.p99(), l.max()));
  }

  /** Per-second series from the stage start: for the JSON and the plot. */
  public static Map<String, Object> timeline(StageResult r) {
    int seconds = (int) Math.ceil((r.drainedNanos() - r.startNanos()) / 1e9) + 1;
    int measuredFrom = (int) ((r.measuredStartNanos() - r.startNanos()) / 1_000_000_000L);
    int[] sent = new int[seconds];
    int[] terminal = new int[seconds];
    List<List<Double>> latencyBySendSecond = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      latencyBySendSecond.add(new ArrayList<>());
    }
    for (Sample s : r.samples()) {
      int sec = clamp((int) ((s.scheduledNanos - r.startNanos()) / 1_000_000_000L), seconds);
      sent[sec]++;
      if (s.terminal()) {
        terminal[clamp((int) ((s.terminalEpochMillis - r.startEpochMillis()) / 1000), seconds)]++;
        if (s.planned.kind() == Kind.WAIT && s.error == null) {
          latencyBySendSecond.get(sec).add(s.latencyNanos() / 1e6);
        }
      }
    }
    double[] p50 = new double[seconds];
    double[] p99 = new double[seconds];
    for (int i = 0; i < seconds; i++) {
      Latency l = Latency.of(unbox(latencyBySendSecond.get(i)));
      p50[i] = round2(l.p50());
      p99[i] = round2(l.p99());
    }
    long[] backlog = new long[seconds];
    int[] inFlight = new int[seconds];
    Map<String, double[]> cpu = new LinkedHashMap<>();
    Tick previous = null;
    for (Tick t : r.ticks()) {
      int sec = clamp((int) ((t.nanoTime() - r.startNanos()) / 1_000_000_000L), seconds);
      backlog[sec] = t.backlog().total();
      inFlight[sec] = t.inFlight();
      if (previous != null) {
        double wall = (t.nanoTime() - previous.nanoTime()) / 1e9;
        for (var e : t.cpu().groupTicks().entrySet()) {
          double cores = (e.getValue() - previous.cpu().groupTicks().getOrDefault(e.getKey(), e.getValue()))
              / ProcessProbe.TICKS_PER_SECOND / wall;
          cpu.computeIfAbsent(e.getKey(), k -> new double[seconds])[sec] = round2(cores);
        }
      }
      previous = t;
    }
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("measuredFromSecond", measuredFrom);
    series.put("measuredToSecond", (int) ((r.scheduleEndNanos() - r.startNanos()) / 1_000_000_000L));
    series.put("sentPerSecond", sent);
    series.put("terminalPerSecond", terminal);
    series.put("p50MsBySendSecond", p50);
    series.put("p99MsBySendSecond", p99);
    series.put("backlog", backlog);
    series.put("inFlight", inFlight);
    series.put("cpuCores", cpu);
    return series;
  }

  /** Writes {@code <label>-<time>.json} and {@code .html}; returns the JSON path. */
  public static Path write(Path dir, String label, Map<String, Object> document, List<Summary> stages,
      List<Map<String, Object>> timelines) throws IOException {
    Files.createDirectories(dir);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    Path json = dir.resolve(label + "-" + stamp + ".json");
    new com.fasterxml.jackson.databind.ObjectMapper()
        .configure(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .writerWithDefaultPrettyPrinter().writeValue(json.toFile(), document);
    Files.writeString(dir.resolve(label + "-" + stamp + ".html"), Plot.html(label, stages, timelines));
    return json;
  }

  static double slope(List<Tick> ticks, long originNanos) {
    int n = ticks.size();
    if (n < 3) {
      return 0;
    }
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (Tick t : ticks) {
      double x = (t.nanoTime() - originNanos) / 1e9;
      double y = t.backlog().total();
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
  }

  private static long toEpochMillis(StageResult r, long nanos) {
    return r.startEpochMillis() + (nanos - r.startNanos()) / 1_000_000L;
  }

  private static int clamp(int i, int size) {
    return Math.max(0, Math.min(size - 1, i));
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double round2(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
  }

  private static long memTotalKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return 0;
  }
}
