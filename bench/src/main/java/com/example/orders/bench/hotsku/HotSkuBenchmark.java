package com.example.orders.bench.hotsku;

import com.example.orders.bench.Args;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.order.OrderService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.devtools.postgres.LocalPostgres;
import com.example.orders.devtools.scratch.ScratchDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * N threads reserving one SKU as fast as they can, per strategy, against the physical limit of the
 * same server measured by pgbench in the same run. Every strategy is also checked for oversell:
 * units handed out must equal units removed from stock, and with scarce stock exactly the stock is
 * sold.
 */
public final class HotSkuBenchmark {

  public static final String HELP = """
      hot-sku [options]: N concurrent reservations of one SKU per strategy vs pgbench's single-row UPDATE
        --threads N[,N...]      concurrent reservations (JDBC threads and pgbench clients; default 16)
        --seconds S             measured seconds per strategy (default 10)
        --warmup S              seconds before measuring, per strategy (default 2)
        --scarce-units K        oversell check: K units, every thread buys until refused (default 500; 0 skips)
        --durable true|false    PostgreSQL fsync and synchronous_commit as ./run has them (default true)
        --pgbench PATH|none     the pgbench binary (default pgbench; none skips the limit)
        --strategies LIST       of lock, conditional, conditional-tx (the same UPDATE inside
                                BEGIN/COMMIT), optimistic, production (order recorded by the
                                API first, the normal path: one call of reserve_inventory),
                                production-inline (the reservation records the order too),
                                control (default: all)
        --results DIR           JSON output (default data/bench/results)
      Runs its own throwaway PostgreSQL (LocalPostgres, the one ./run uses) on a free port.
      """;

  static final int STOCK = 1_000_000_000;

  /** Orders recorded up front per second of a run, for the strategies that need them. */
  static final int PREPARED_PER_SECOND = 5_000;

  public record Options(List<Integer> threads, int seconds, int warmupSeconds, int scarceUnits, boolean durable,
      String pgbench, List<String> strategies, Path results) {}

  /** One strategy at one concurrency. {@code lostUnits} > 0 means units were handed out twice. */
  public record Row(int threads, String key, String strategy, double txPerSecond, Double ratioToPgbench,
      long reservations, long lostUnits, long errors, String firstError, long retries, int scarceUnits,
      long scarceSold, boolean control, String notes) {

    public long oversold() {
      return Math.max(lostUnits, scarceSold - scarceUnits);
    }

    public boolean neverOversold() {
      return lostUnits == 0 && (scarceUnits == 0 || scarceSold == scarceUnits);
    }
  }

  public record Report(String startedAt, String server, boolean durable, String pgbenchVersion,
      Map<Integer, double[]> pgbenchTps, List<Row> rows, double[] loadBefore, double[] loadAfter, int cores) {}

  private HotSkuBenchmark() {}

  public static int run(Args args) throws Exception {
    Options options = new Options(
        Arrays.stream(args.string("threads", "16").split(",")).map(String::trim).map(Integer::parseInt).toList(),
        args.integer("seconds", 10),
        args.integer("warmup", 2),
        args.integer("scarce-units", 500),
        args.flag("durable", true),
        args.string("pgbench", "pgbench"),
        Arrays.stream(args.string("strategies", String.join(",", keys())).split(","))
            .map(String::trim).toList(),
        Path.of(args.string("results", "data/bench/results")));
    args.rejectUnknown();
    Report report = execute(options);
    System.out.print(table(report, options));
    Files.createDirectories(options.results());
    Path json = options.results().resolve("hot-sku-"
        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
    System.out.println("results: " + json);
    boolean safe = report.rows().stream().filter(r -> !r.control()).allMatch(Row::neverOversold);
    if (!safe) {
      System.out.println("FAILED: a strategy other than the control oversold");
    }
    return safe ? 0 : 1;
  }

  public static Report execute(Options options) throws Exception {
    for (String key : options.strategies()) {
      if (!keys().contains(key)) {
        throw new IllegalArgumentException("unknown strategy " + key);
      }
    }
    String pgbenchVersion = "none".equals(options.pgbench()) ? null : PgBench.version(options.pgbench());
    if (!"none".equals(options.pgbench()) && pgbenchVersion == null) {
      throw new IllegalArgumentException("cannot run " + options.pgbench()
          + ": install it (Debian: apt-get install postgresql-contrib) or pass --pgbench none");
    }
    double[] loadBefore = loadAverage();
    Path dir = Files.createTempDirectory("orders-hot-sku-");
    LocalPostgres postgres = LocalPostgres.start(dir.resolve("data"), LocalPostgres.freePort(), options.durable());
    try {
      postgres.createDatabase("hotsku");
      int maxThreads = options.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
      try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HotSkuApplication.class)
          .web(WebApplicationType.NONE)
          .bannerMode(Banner.Mode.OFF)
          .logStartupInfo(false)
          .properties(Map.of(
              "spring.datasource.url", postgres.jdbcUrl("hotsku"),
              "spring.datasource.username", LocalPostgres.user(),
              "spring.datasource.password", "",
              // the production pool settings (orders-database.properties), sized for the threads
              "spring.datasource.hikari.connection-init-sql", "SET lock_timeout = '2s'",
              "spring.datasource.hikari.maximum-pool-size", String.valueOf(maxThreads + 2),
              "spring.flyway.locations", "classpath:db/migration",
              "logging.level.root", "WARN"))
          .run()) {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        DataSource db = context.getBean(DataSource.class);
        InventoryService inventory = context.getBean(InventoryService.class);
        OrderService orderService = context.getBean(OrderService.class);
        context.getBean(PaymentService.class).upsertCustomer(Strategies.CUSTOMER, "Hot SKU buyer", new BigDecimal("1000000000.00"), "hot-sku-bench");
        inventory.upsertProduct(Strategies.SKU, "Hot item", new BigDecimal("1.00"), STOCK, "hot-sku-bench");
        String server = jdbc.sql("SELECT version()").query(String.class).single();

        Map<String, Supplier<Strategy>> strategies = new LinkedHashMap<>();
        for (String key : options.strategies()) {
          strategies.put(key, switch (key) {
            case "lock" -> () -> Strategies.lockThenUpdate(db);
            case "conditional" -> () -> Strategies.conditionalUpdate(db);
            case "conditional-tx" -> () -> Strategies.conditionalUpdateInTransaction(db);
            case "optimistic" -> () -> Strategies.optimistic(db);
            case "production" -> () -> Strategies.production(inventory, orderService, jdbc, true);
            case "production-inline" -> () -> Strategies.production(inventory, orderService, jdbc, false);
            default -> () -> Strategies.unsafeReadModifyWrite(db);
          });
        }

        Map<Integer, double[]> pgbenchTps = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (int threads : options.threads()) {
          double before = Double.NaN;
          if (pgbenchVersion != null) {
            reset(jdbc, STOCK);
            before = PgBench.run(options.pgbench(), postgres.port(), "hotsku", threads, options.seconds());
          }
          List<Row> measured = new ArrayList<>();
          for (var e : strategies.entrySet()) {
            measured.add(measure(e.getKey(), e.getValue(), threads, options, jdbc));
          }
          double after = Double.NaN;
          if (pgbenchVersion != null) {
            reset(jdbc, STOCK);
            after = PgBench.run(options.pgbench(), postgres.port(), "hotsku", threads, options.seconds());
          }
          pgbenchTps.put(threads, new double[] {before, after});
          double limit = (before + after) / 2;
          for (Row r : measured) {
            rows.add(new Row(r.threads(), r.key(), r.strategy(), r.txPerSecond(),
                Double.isNaN(limit) ? null : Math.round(r.txPerSecond() / limit * 1000) / 1000.0,
                r.reservations(), r.lostUnits(), r.errors(), r.firstError(), r.retries(), r.scarceUnits(),
                r.scarceSold(), r.control(), r.notes()));
          }
        }
        return new Report(DateTimeFormatter.ISO_INSTANT.format(Instant.now()), server, options.durable(),
            pgbenchVersion, pgbenchTps, rows, loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
      }
    } finally {
      postgres.close();
      ScratchDirectory.deleteQuietly(dir);
    }
  }

  private static Row measure(String key, Supplier<Strategy> factory, int threads, Options options, JdbcClient jdbc)
      throws InterruptedException {
    // throughput with ample stock
    reset(jdbc, STOCK);
    Strategy strategy = factory.get();
    strategy.prepare(PREPARED_PER_SECOND * (options.warmupSeconds() + options.seconds()));
    AtomicLong total = new AtomicLong();
    AtomicLong inWindow = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long windowStart = start + options.warmupSeconds() * 1_000_000_000L;
    long end = windowStart + options.seconds() * 1_000_000_000L;
    race(threads, () -> {
      while (System.nanoTime() < end) {
        try {
          if (strategy.reserve(1)) {
            total.incrementAndGet();
            if (System.nanoTime() >= windowStart && System.nanoTime() <= end) {
              inWindow.incrementAndGet();
            }
          }
        } catch (Exception e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
      }
    });
    int available = stock(jdbc, "available");
    int reserved = stock(jdbc, "reserved");
    long removed = (long) STOCK - available;
    long lost = Math.max(total.get() - removed, total.get() - reserved);

    // oversell check with scarce stock: every thread buys one unit at a time until refused
    long sold = 0;
    if (options.scarceUnits() > 0) {
      reset(jdbc, options.scarceUnits());
      Strategy scarce = factory.get();
      scarce.prepare(options.scarceUnits() * 2);
      AtomicLong bought = new AtomicLong();
      long deadline = System.nanoTime() + 60_000_000_000L;
      race(threads, () -> {
        while (System.nanoTime() < deadline) {
          try {
            if (!scarce.reserve(1)) {
              return;
            }
            bought.incrementAndGet();
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
          }
        }
      });
      sold = bought.get();
    }
    String notes = strategy.notes();
    return new Row(threads, key, strategy.name(), inWindow.get() / (double) options.seconds(), null, total.get(),
        lost, errors.get(), firstError.get(), strategy.retries(), options.scarceUnits(), sold, strategy.control(), notes);
  }

  /** Runs {@code body} on n platform threads started together; returns when all are done. */
  private static void race(int n, Runnable body) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        body.run();
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Fresh stock, no orders, a vacuumed table and a checkpoint: every strategy starts alike. */
  private static void reset(JdbcClient jdbc, int stock) {
    jdbc.sql("TRUNCATE shipment_events, order_reviews, order_steps, payments, shipments, order_items, orders").update();
    jdbc.sql("UPDATE products SET available = :stock, reserved = 0, sold = 0 WHERE sku = :sku")
        .param("stock", stock).param("sku", Strategies.SKU).update();
    jdbc.sql("VACUUM ANALYZE products").update();
    jdbc.sql("CHECKPOINT").update();
  }

  private static int stock(JdbcClient jdbc, String column) {
    return jdbc.sql("SELECT " + column + " FROM products WHERE sku = :sku").param("sku", Strategies.SKU)
        .query(Integer.class).single();
  }

  public static String table(Report report, Options options) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "%n== hot SKU: concurrent reservations of one SKU, %d s per strategy after %d s warm-up (%s) ==%n",
        options.seconds(), options.warmupSeconds(), report.startedAt()));
    out.append(String.format(Locale.ROOT, "server: %s%n        LocalPostgres, %s; %d cores; load average (1 min) %.2f before, %.2f after%n",
        report.server().replaceAll(" on .*", ""),
        report.durable() ? "durable (fsync on, synchronous_commit on: as ./run)" : "NOT durable (fsync off, synchronous_commit off)",
        report.cores(), report.loadBefore()[0], report.loadAfter()[0]));
    if (report.pgbenchVersion() != null) {
      out.append("limit: ").append(report.pgbenchVersion()).append(" -M prepared, script: ").append(PgBench.script().trim()).append('\n');
    }
    for (var e : report.pgbenchTps().entrySet()) {
      int n = e.getKey();
      double[] limit = e.getValue();
      out.append(String.format(Locale.ROOT, "%n%d concurrent   %-60s %9s %9s %9s  %s%n", n, "strategy", "tx/s", "vs limit",
          "oversold", "scarce stock check / notes"));
      if (!Double.isNaN(limit[0])) {
        out.append(String.format(Locale.ROOT, "%-74s %9.0f %9s %9s  (before %.0f, after %.0f)%n",
            "  pgbench single-row UPDATE (the limit, mean)", (limit[0] + limit[1]) / 2, "100%", "-", limit[0], limit[1]));
      }
      report.rows().stream().filter(r -> r.threads() == n)
          .sorted(Comparator.comparing(Row::control).thenComparing(Comparator.comparingDouble(Row::txPerSecond).reversed()))
          .forEach(r -> out.append(String.format(Locale.ROOT, "%-74s %9.0f %9s %9d  %s%n",
              "  " + r.strategy(), r.txPerSecond(),
              r.ratioToPgbench() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", r.ratioToPgbench() * 100),
              r.oversold(), notes(r))));
    }
    return out.toString();
  }

  private static String notes(Row r) {
    List<String> notes = new ArrayList<>();
    if (r.scarceUnits() > 0) {
      notes.add("sold " + r.scarceSold() + " of " + r.scarceUnits() + (r.scarceSold() == r.scarceUnits() ? "" : " OVERSOLD"));
    }
    if (r.lostUnits() > 0) {
      notes.add(r.lostUnits() + " units handed out twice (lost updates)");
    }
    if (r.retries() > 0) {
      notes.add(r.retries() + " version conflicts retried");
    }
    if (r.errors() > 0) {
      notes.add(r.errors() + " errors, first: " + r.firstError());
    }
    if (r.notes() != null && !r.notes().isEmpty()) {
      notes.add(r.notes());
    }
    if (r.control()) {
      notes.add("negative control: proves the check catches oversell");
    }
    return String.join("; ", notes);
  }

  private static double[] loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    } catch (IOException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  static Set<String> keys() {
    return new LinkedHashSet<>(List.of("lock", "conditional", "conditional-tx", "optimistic", "production", "production-inline",
        "control"));
  }
}
