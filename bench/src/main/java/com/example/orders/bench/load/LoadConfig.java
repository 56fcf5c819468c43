package com.example.orders.bench.load;

import com.example.orders.bench.Args;
import java.net.URI;
import java.nio.file.Path;

/**
 * One open-loop load stage: orders arrive at a constant rate for {@code warmupSeconds} (not
 * measured) and then {@code durationSeconds} (measured), whatever the response times.
 *
 * @param acceptedFraction orders sent without {@code Prefer: wait}: they time POST /orders until
 *     202 Accepted; the others send {@code Prefer: wait=waitSeconds} and time submit to terminal
 * @param failFraction orders shipped to AQ, which the carrier refuses: they end FAILED /
 *     UNDELIVERABLE_ADDRESS after reserve, charge, and the three compensations
 */
public record LoadConfig(
    URI api,
    URI tokenUrl,
    String client,
    String temporalTarget,
    String namespace,
    double rate,
    int durationSeconds,
    int warmupSeconds,
    int customers,
    int skus,
    int itemsPerOrder,
    double failFraction,
    double acceptedFraction,
    int waitSeconds,
    long seed,
    Path stackDir,
    Path resultsDir,
    String label) {

  public LoadConfig {
    if (rate <= 0 || durationSeconds <= 0 || warmupSeconds < 0) {
      throw new IllegalArgumentException("rate and duration must be positive, warm-up not negative");
    }
    if (customers < 1 || skus < 1 || itemsPerOrder < 1 || itemsPerOrder > Math.min(50, skus)) {
      throw new IllegalArgumentException("need customers >= 1, skus >= 1, 1 <= items <= min(50, skus)");
    }
    if (failFraction < 0 || failFraction > 1 || acceptedFraction < 0 || acceptedFraction > 1) {
      throw new IllegalArgumentException("fractions are between 0 and 1");
    }
    if (temporalTarget == null || temporalTarget.isBlank()) {
      throw new IllegalArgumentException("--temporal HOST:PORT (or ORDERS_TEMPORAL_TARGET) is needed for the backlog probe");
    }
    if (waitSeconds < 1 || waitSeconds > 60) {
      throw new IllegalArgumentException("wait is 1 to 60 seconds (the API caps Prefer: wait at 60)");
    }
  }

  public static LoadConfig from(Args args) {
    return new LoadConfig(
        URI.create(stripSlash(args.string("url", "http://127.0.0.1:8080"))),
        URI.create(args.string("token-url", "http://localhost:9000/oauth2/token")),
        args.string("client", "operator:operator-secret"),
        args.string("temporal", System.getenv("ORDERS_TEMPORAL_TARGET")),
        args.string("namespace", "default"),
        args.decimal("rate", 14),
        args.integer("duration", 60),
        args.integer("warmup", 20),
        args.integer("customers", 200),
        args.integer("skus", 100),
        args.integer("items", 1),
        args.decimal("fail-fraction", 0.1),
        args.decimal("accepted-fraction", 0.2),
        args.integer("wait", 30),
        args.integer("seed", 42),
        Path.of(args.string("stack-dir", "data")),
        Path.of(args.string("results", "data/bench/results")),
        args.string("label", "load"));
  }

  public LoadConfig withRate(double newRate, int newDuration, int newWarmup, String newLabel) {
    return new LoadConfig(api, tokenUrl, client, temporalTarget, namespace, newRate, newDuration, newWarmup, customers, skus,
        itemsPerOrder, failFraction, acceptedFraction, waitSeconds, seed, stackDir, resultsDir, newLabel);
  }

  /** The ceiling times every order from start to result: none is sent "accepted". */
  public LoadConfig forCeiling() {
    return new LoadConfig(api, tokenUrl, client, temporalTarget, namespace, rate, durationSeconds, warmupSeconds, customers,
        skus, itemsPerOrder, failFraction, 0, waitSeconds, seed, stackDir, resultsDir, label);
  }

  public int warmupOrders() {
    return (int) Math.round(rate * warmupSeconds);
  }

  public int totalOrders() {
    return warmupOrders() + (int) Math.round(rate * durationSeconds);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  static final String HELP = """
        --url URL               the api (default http://127.0.0.1:8080)
        --token-url URL         where the bench gets its access token (default http://localhost:9000/oauth2/token;
                                ./run bench passes its issuer's)
        --client ID:SECRET      the client it gets it as: operators place orders on customers' behalf and
                                create the bench's customers and products (default operator:operator-secret)
        --temporal HOST:PORT    Temporal frontend, for the task-queue backlog (default: ORDERS_TEMPORAL_TARGET;
                                ./run bench passes it)
        --rate R                orders per second, constant arrival rate (default 14: sustained on
                                the 2-core machine of docs/performance.md)
        --duration S            measured seconds (default 60)
        --warmup S              seconds at the same rate before measuring, not counted (default 20)
        --customers N           bench customers created with PUT /customers (default 200)
        --skus N                bench products created with PUT /inventory (default 100)
        --items N               lines per order, distinct SKUs (default 1)
        --fail-fraction F       orders shipped to AQ, ending FAILED/UNDELIVERABLE_ADDRESS (default 0.1)
        --accepted-fraction F   orders sent without Prefer: wait, timing POST -> 202 (default 0.2)
        --wait S                Prefer: wait=S for the others, timing submit -> terminal (default 30)
        --seed N                random seed for the order mix (default 42)
        --stack-dir DIR         where ./run keeps pids/ and postgres/ (for RSS and CPU; default data)
        --results DIR           JSON and HTML output (default data/bench/results)
        --label NAME            names the result files (default load)
      """;
}
