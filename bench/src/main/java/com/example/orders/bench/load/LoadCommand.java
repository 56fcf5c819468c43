package com.example.orders.bench.load;

import com.example.orders.bench.Args;
import com.example.orders.temporal.access.TemporalAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code load} (one constant-rate run) and {@code step-up} (find the highest sustainable rate). */
public final class LoadCommand {

  private LoadCommand() {}

  private static final String UNNAMED_ENGINE = "unnamed";

  public static final String HELP_LOAD = "load [options]: one open-loop run at a constant arrival rate\n" + LoadConfig.HELP;

  public static final String HELP_STEP_UP = """
      step-up [options]: stages of increasing rate; the highest one that is sustained wins
        --start R               first rate (default 10)
        --step R                increment (default 2)
        --max R                 last rate tried (default 60)
        --stage-duration S      measured seconds per stage (default 30)
        --stage-warmup S        warm-up seconds per stage, not counted (default 10)
        --initial-warmup S      seconds of load at the first rate before the first stage, not
                                counted, so that it does not measure a stack just started (JIT,
                                caches, pools; default 30; 0 for none)
        --refine true|false     after the first failing stage, bisect between it and the last
                                sustained rate down to 5 orders/s (default true)
        --engine NAME           the Temporal engine measured (./run bench passes dev or server): the
                                result names it, and a step-up reports its share of the newest
                                ceiling in --results measured on the same engine
        --build ID              the build of the workers measured (./run bench passes its own when it
                                starts the stack): the result names it, and a step-up prefers a
                                ceiling of the same build (a workflow change moves the ceiling)
      sustained = no errors, terminal orders/s >= 97% of offered, p99 submit->terminal < 1000 ms,
      and a flat task-queue backlog (its trend over the stage adds fewer tasks than max(20, rate)).
      plus the load options (--rate, --duration and --warmup are replaced by the above):
      """ + LoadConfig.HELP;

  public static final String HELP_CEILING = """
      ceiling [options]: the step-up of the engine's ceiling for the order's shape: the real order and
        shipment workflows on no-op activities, run by a worker inside the bench, started straight on
        Temporal with the api's start options and timed from start to result (no api, no database).
        Run it on Temporal alone (./run bench ceiling starts one): it serves the orders task queue.
        Takes the step-up options; --fail-fraction orders are refused by the carrier and compensated;
        none is sent "accepted". --delivery-tracking false: the orders ask for no delivery tracking
        (before tracking-starts-with-carrier it priced the shipment workflow every order started; now
        it differs by one version marker). Its worker's CPU is the "bench" column.
      """;

  public static int load(Args args) throws Exception {
    LoadConfig config = LoadConfig.from(args);
    String engine = args.string("engine", UNNAMED_ENGINE);
    String build = args.string("build", "");
    args.rejectUnknown();
    LoadGenerator generator = new LoadGenerator(new HttpOrders());
    ProcessProbe processes = ProcessProbe.discover(config.stackDir());
    // TLS and credential for Temporal: the settings the api and workers read (ORDERS_TEMPORAL_*)
    TemporalAccess access = TemporalAccess.fromEnvironment();
    try (TaskQueueProbe queue = new TaskQueueProbe(config.temporalTarget(), config.namespace(), access)) {
      announce(config, access, processes);
      generator.setUp(config);
      LoadGenerator.StageResult result = generator.run(config, processes, queue);
      LoadReport.Summary summary = LoadReport.summarize(result);
      Map<String, Object> timeline = LoadReport.timeline(result);
      System.out.print(LoadReport.table(summary));
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("kind", "load");
      document.put("engine", engine);
      if (!build.isEmpty()) {
        document.put("build", build);
      }
      document.put("config", describe(config));
      document.put("processes", result.processes());
      document.put("summary", summary);
      document.put("timeline", timeline);
      Path json = LoadReport.write(config.resultsDir(), config.label(), document, List.of(summary), List.of(timeline));
      System.out.println("results: " + json + " (and .html next to it)");
      return 0;
    }
  }

  public static int stepUp(Args args) throws Exception {
    return stepUp(args, false);
  }

  public static int ceiling(Args args) throws Exception {
    return stepUp(args, true);
  }

  private static int stepUp(Args args, boolean ceiling) throws Exception {
    double start = args.decimal("start", 10);
    double step = args.decimal("step", 2);
    double max = args.decimal("max", 60);
    int stageDuration = args.integer("stage-duration", 30);
    int stageWarmup = args.integer("stage-warmup", 10);
    int initialWarmup = args.integer("initial-warmup", 30);
    boolean refine = args.flag("refine", true);
    LoadConfig base = ceiling ? LoadConfig.from(args).forCeiling() : LoadConfig.from(args);
    boolean deliveryTracking = !ceiling || args.flag("delivery-tracking", true);
    String engine = args.string("engine", UNNAMED_ENGINE);
    String build = args.string("build", "");
    args.rejectUnknown();

    TemporalAccess access = TemporalAccess.fromEnvironment();
    OrderChannel channel = ceiling ? CeilingOrders.fromEnvironment(access, deliveryTracking) : new HttpOrders();
    LoadGenerator generator = new LoadGenerator(channel);
    // the ceiling's worker runs in the bench process: its CPU is the "bench" column
    ProcessProbe processes = ProcessProbe.discover(base.stackDir());
    List<LoadReport.Summary> stages = new ArrayList<>();
    List<Map<String, Object>> timelines = new ArrayList<>();
    double best = 0;
    try (TaskQueueProbe queue = new TaskQueueProbe(base.temporalTarget(), base.namespace(), access);
        AutoCloseable closeChannel = channel instanceof CeilingOrders worker ? worker : () -> {}) {
      announce(base, access, processes);
      generator.setUp(base);
      if (initialWarmup > 0) {
        System.out.printf(Locale.ROOT, "warming up: %d s at %.0f/s, not counted%n", initialWarmup, start);
        generator.run(base.withRate(start, initialWarmup, 0, base.label() + "-warmup"), processes, queue);
      }
      double failedAt = Double.NaN;
      for (double rate = start; rate <= max + 1e-9; rate += step) {
        LoadReport.Summary s = stage(generator, processes, queue, base, rate, stageDuration, stageWarmup, stages, timelines);
        if (!s.sustained()) {
          failedAt = rate;
          break;
        }
        best = rate;
      }
      if (refine && !Double.isNaN(failedAt)) {
        double low = best;
        double high = failedAt;
        while (high - low > 5 + 1e-9) {
          double mid = Math.round((low + high) / 2);
          LoadReport.Summary s = stage(generator, processes, queue, base, mid, stageDuration, stageWarmup, stages, timelines);
          if (s.sustained()) {
            low = mid;
          } else {
            high = mid;
          }
        }
        best = low;
      }
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%n== " + (ceiling ? "ceiling (the order's shape on no-op activities)" : "step-up") + ": %d s per stage after %d s warm-up; sustained = no errors, >= 97%% of offered, p99 < %.0f ms, flat backlog ==%n",
        stageDuration, stageWarmup, LoadReport.P99_LIMIT_MS));
    table.append("offered/s  terminal/s   p50 ms   p99 ms   max ms  errors  backlog max  trend/s  CPU idle  load  sustained\n");
    for (LoadReport.Summary s : stages) {
      table.append(String.format(Locale.ROOT, "%9.1f  %10.1f %8.0f %8.0f %8.0f %7d %12d %8.2f %9.2f %5.2f  %s%n",
          s.offeredRate(), s.terminalPerSecond(), s.submitToTerminal().p50(), s.submitToTerminal().p99(),
          s.submitToTerminal().max(), s.errorCount(), s.backlogMax(), s.backlogTrendPerSecond(),
          s.cpuCores().getOrDefault("idle", Double.NaN), s.loadAverageDuring(),
          s.sustained() ? "yes" : "no: " + String.join("; ", s.notSustainedBecause())));
    }
    table.append(String.format(Locale.ROOT, "maximum sustainable rate%s: %.0f orders/s%n", ceiling ? " (ceiling)" : "", best));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("kind", ceiling ? "ceiling" : "step-up");
    document.put("engine", engine);
    if (!build.isEmpty()) {
      document.put("build", build);
    }
    if (!ceiling) {
      table.append(shareOfCeiling(base.resultsDir(), engine, build, best, document));
    }
    System.out.print(table);
    document.put("config", describe(base));
    document.put("criteria", Map.of("p99SubmitToTerminalMsBelow", LoadReport.P99_LIMIT_MS,
        "throughputAtLeastFractionOfOffered", 0.97, "errors", 0,
        "backlogFlat", "least-squares trend over the stage adds fewer tasks than max(20, rate)"));
    document.put("maxSustainableRate", best);
    document.put("processes", processes.tracked());
    document.put("stages", stages);
    document.put("timelines", timelines);
    Path json = LoadReport.write(base.resultsDir(), base.label(), document, stages, timelines);
    System.out.println("results: " + json + " (and .html next to it)");
    return 0;
  }

  /** The line that compares a step-up with its engine's ceiling (and the same in the JSON). */
  private static String shareOfCeiling(Path resultsDir, String engine, String build, double best,
      Map<String, Object> document) {
    if (UNNAMED_ENGINE.equals(engine)) {
      return "share of the ceiling: unknown (no --engine: ./run bench names it)\n";
    }
    return CeilingReference.newest(resultsDir, engine, build).map(c -> {
      document.put("ceiling", Map.of("rate", c.rate(), "file", c.file().getFileName().toString(), "share", c.share(best),
          "build", c.build()));
      String whose = build.isEmpty() || c.build().equals(build) ? ""
          : "; measured by " + (c.build().isEmpty() ? "an unnamed build" : "build " + c.build())
              + ", not this one: ./run bench ceiling --temporal " + engine + " for this build's";
      return String.format(Locale.ROOT, "share of the %s engine's ceiling: %.0f %% (ceiling %.0f orders/s, %s%s)%n",
          engine, 100 * c.share(best), c.rate(), c.file().getFileName(), whose);
    }).orElse(String.format(Locale.ROOT,
        "share of the %s engine's ceiling: unknown (no ceiling of it in %s: ./run bench ceiling --temporal %s)%n",
        engine, resultsDir, engine));
  }

  private static LoadReport.Summary stage(LoadGenerator generator, ProcessProbe processes, TaskQueueProbe queue,
      LoadConfig base, double rate, int duration, int warmup, List<LoadReport.Summary> stages,
      List<Map<String, Object>> timelines) throws InterruptedException {
    awaitQuiet(queue);
    LoadConfig config = base.withRate(rate, duration, warmup, String.format(Locale.ROOT, "%s-%.0f", base.label(), rate));
    LoadGenerator.StageResult result = generator.run(config, processes, queue);
    LoadReport.Summary s = LoadReport.summarize(result);
    stages.add(s);
    timelines.add(LoadReport.timeline(result));
    System.out.printf(Locale.ROOT, "stage %.0f/s: terminal %.1f/s, p50 %.0f ms, p99 %.0f ms, errors %d, backlog max %d -> %s%n",
        rate, s.terminalPerSecond(), s.submitToTerminal().p50(), s.submitToTerminal().p99(), s.errorCount(),
        s.backlogMax(), s.sustained() ? "sustained" : "NOT sustained (" + String.join("; ", s.notSustainedBecause()) + ")");
    return s;
  }

  /** Lets the previous stage's leftovers (backlog) drain before the next one; at most 60 s. */
  private static void awaitQuiet(TaskQueueProbe queue) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && queue.backlog().total() > 0) {
      Thread.sleep(1000);
    }
    Thread.sleep(2000);
  }

  private static void announce(LoadConfig config, TemporalAccess access, ProcessProbe processes) {
    System.out.printf(Locale.ROOT, "bench: api %s, Temporal %s (%s); measuring %s%n", config.api(),
        config.temporalTarget(), access.describe(),
        processes.tracked().isEmpty() ? "no processes (no pid files under " + config.stackDir() + "/pids: RSS and CPU split unavailable)"
            : processes.tracked().stream().map(t -> t.name() + "=" + t.pid()).toList());
  }

  private static Map<String, Object> describe(LoadConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api", c.api().toString());
    m.put("temporal", c.temporalTarget());
    m.put("rate", c.rate());
    m.put("durationSeconds", c.durationSeconds());
    m.put("warmupSeconds", c.warmupSeconds());
    m.put("customers", c.customers());
    m.put("skus", c.skus());
    m.put("itemsPerOrder", c.itemsPerOrder());
    m.put("failFraction", c.failFraction());
    m.put("acceptedFraction", c.acceptedFraction());
    m.put("waitSeconds", c.waitSeconds());
    m.put("seed", c.seed());
    return m;
  }
}
