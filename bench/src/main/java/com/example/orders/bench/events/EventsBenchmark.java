package com.example.orders.bench.events;

import com.example.orders.bench.Args;
import com.example.orders.bench.load.LoadCommand;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code events}: what the outbox costs on the way out, on a running stack with its Kafka and relay.
 * First the load benchmark's open-loop run (default 20 orders/s) while a consumer times every order
 * event from its write (ce_time, just before the commit) to its arrival on the topic; then a backlog of
 * synthetic events committed in one transaction, timed until the relay has published the last of them.
 */
public final class EventsBenchmark {

  public static final String HELP = """
      events [options]: commit -> topic latency of the order events under load, then a backlog's drain
        --backlog N             events committed at once for the drain (default 50000; 0 skips it)
        --backlog-keys N        orders they belong to (default 10000: 5 events each)
        plus the load options (default --rate 20); needs ORDERS_KAFKA_BOOTSTRAP and ORDERS_DB_URL,
        which ./run bench events sets for the stack it starts.
      """;

  private EventsBenchmark() {}

  public static int run(Args args) throws Exception {
    int backlog = args.integer("backlog", 50_000);
    int backlogKeys = args.integer("backlog-keys", 10_000);
    String bootstrap = require("ORDERS_KAFKA_BOOTSTRAP");
    String jdbcUrl = require("ORDERS_DB_URL");
    String user = System.getenv().getOrDefault("ORDERS_DB_USER", "postgres");
    String password = System.getenv().getOrDefault("ORDERS_DB_PASSWORD", "");

    Timing latency = new Timing();
    AtomicBoolean consuming = new AtomicBoolean(true);
    Thread consumer = Thread.ofPlatform().name("events-consumer").start(() -> consume(bootstrap, consuming, latency));
    int status = LoadCommand.load(args.withDefault("rate", "20"));
    Thread.sleep(3_000); // the last orders' events
    consuming.set(false);
    consumer.join();
    System.out.println(latency.report("commit -> topic, order events during the load run"));

    if (backlog > 0) {
      drain(jdbcUrl, user, password, backlog, backlogKeys);
    }
    return status;
  }

  /** Every orders.events record from now on: arrival time minus ce_time. */
  private static void consume(String bootstrap, AtomicBoolean running, Timing latency) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-events-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10); // arrival, not the fetch's wait, is timed
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("orders.events"));
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          Instant arrived = Instant.now();
          Header time = record.headers().lastHeader("ce_time");
          if (time != null) {
            Instant written = OffsetDateTime.parse(new String(time.value(), StandardCharsets.UTF_8)).toInstant();
            latency.add(Duration.between(written, arrived).toNanos() / 1e6);
          }
        }
      }
    }
  }

  /**
   * Commits {@code events} events of {@code keys} keys in one transaction (what a relay finds after a
   * long Kafka outage), then waits until none of them is unpublished: the drain rate is the count over
   * the time from the commit to the last one's published_at.
   */
  private static void drain(String jdbcUrl, String user, String password, int events, int keys) throws SQLException {
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
      db.setAutoCommit(false);
      try (PreparedStatement insert = db.prepareStatement("""
          INSERT INTO outbox_events (topic, message_key, sequence, event_type, data)
          SELECT 'orders.events', ? || '-' || (n % ?), n / ? + 1, 'OrderPlaced',
                 jsonb_build_object('orderId', ? || '-' || (n % ?), 'customerId', 'bench', 'sequence', n / ? + 1,
                   'total', '100.00', 'currency', 'USD',
                   'items', jsonb_build_array(jsonb_build_object('sku', 'product_1', 'quantity', 2, 'unitPrice', '50.00')))
          FROM generate_series(0, ? - 1) AS n""")) {
        insert.setString(1, run);
        insert.setInt(2, keys);
        insert.setInt(3, keys);
        insert.setString(4, run);
        insert.setInt(5, keys);
        insert.setInt(6, keys);
        insert.setInt(7, events);
        insert.executeUpdate();
      }
      db.commit();
      long committed = System.nanoTime();
      db.setAutoCommit(true);
      System.out.printf("backlog: %,d events of %,d orders committed at once; the relay drains them...%n", events, keys);
      long waiting;
      do {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        waiting = count(db, "SELECT count(*) FROM outbox_events WHERE message_key LIKE '" + run + "-%' AND published_at IS NULL");
      } while (waiting > 0 && System.nanoTime() - committed < Duration.ofMinutes(10).toNanos());
      try (Statement query = db.createStatement(); ResultSet span = query.executeQuery("""
          SELECT extract(epoch FROM max(published_at) - min(created_at)), count(*) FILTER (WHERE published_at IS NOT NULL)
          FROM outbox_events WHERE message_key LIKE '%s-%%'""".formatted(run))) {
        span.next();
        double seconds = span.getDouble(1);
        long published = span.getLong(2);
        System.out.printf("backlog: %,d of %,d published in %.1f s (commit to the last published_at): %,.0f events/s%n",
            published, events, seconds, published / seconds);
      }
    }
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (Statement query = db.createStatement(); ResultSet rs = query.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String require(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set: run it with ./run bench events");
    }
    return value;
  }

  /** Latencies in ms, and their percentiles. */
  private static final class Timing {
    private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());

    void add(double value) {
      millis.add(value);
    }

    String report(String what) {
      List<Double> sorted;
      synchronized (millis) {
        sorted = new ArrayList<>(millis);
      }
      if (sorted.isEmpty()) {
        return what + ": no event arrived";
      }
      Collections.sort(sorted);
      return "%s: %,d events, p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms".formatted(what, sorted.size(),
          at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static double at(List<Double> sorted, double quantile) {
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
  }
}
