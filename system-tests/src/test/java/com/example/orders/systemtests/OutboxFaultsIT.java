package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.devtools.postgres.TestPostgres;
import com.example.orders.systemtests.KafkaEvents.Event;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox and its relay under the bad conditions of docs/reliability.md, on the real broker: Kafka
 * away under load, a relay killed in the middle of a claim, PostgreSQL restarted under it, two relays
 * at once, and events Kafka can never take. Whatever happens, every committed event reaches the topic,
 * one order's events in their order, a duplicate only ever as the very same event (same id).
 */
class OutboxFaultsIT extends EndToEndTest {

  /** A product and a customer of their own, so that load leaves the demo data's invariants alone. */
  private static final String SKU = "outbox_load";
  private static final String CUSTOMER = "outbox_load_customer";

  @BeforeEach
  void loadCatalog() {
    assertThat(api.put("/inventory/" + SKU, "{\"name\":\"Load\",\"price\":1.00,\"available\":100000}").status()).isIn(200, 201);
    assertThat(api.put("/customers/" + CUSTOMER, "{\"name\":\"Load\",\"balance\":1000000.00}").status()).isIn(200, 201);
  }

  @AfterEach
  void oneRelayAgain() {
    List<Process> alive = env.relays().stream().filter(Process::isAlive).toList();
    alive.stream().skip(1).forEach(env::stopRelay);
  }

  @Test
  void ordersGoOnWhileKafkaIsDownAndTheirEventsFollowInOrderOnceItIsBack() throws Exception {
    try (Load load = new Load(6)) {
      sleep(Duration.ofSeconds(4));
      env.stopKafka();
      int placedBeforeOutage = load.placed().size();
      sleep(Duration.ofSeconds(20));
      List<String> placedDuringOutage = load.placed().subList(placedBeforeOutage, load.placed().size());
      long doneDuringOutage = countTerminal(placedDuringOutage);
      long waiting = single("SELECT count(*) FROM outbox_events WHERE published_at IS NULL");
      Process relay = env.relays().stream().filter(Process::isAlive).findFirst().orElseThrow();
      // DOWN once a batch has outlived the producer's delivery timeout (10 s), usually before now
      Api.Response anonymousDuringOutage = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
          .until(() -> new Api(env.relayUrl(relay), null).get("/actuator/health"), health -> health.status() != 200);
      Api.Response operatorDuringOutage = new Api(env.relayUrl(relay), env.token("operator")).get("/actuator/health");
      env.startKafka();
      sleep(Duration.ofSeconds(4));
      load.stop();

      assertThat(placedDuringOutage).as("orders placed while Kafka was down").hasSizeGreaterThan(50);
      assertThat(doneDuringOutage).as("orders completed while Kafka was down: the outbox is not on their path")
          .isGreaterThan(placedDuringOutage.size() / 2);
      assertThat(waiting).as("events waited in the table").isGreaterThan(doneDuringOutage);
      // The relay's health says why events wait: its kafka component, with the error for operators only.
      assertThat(anonymousDuringOutage.status()).as("relay health during the outage").isEqualTo(503);
      assertThat(kafkaComponent(anonymousDuringOutage).get("status").asString()).isEqualTo("DOWN");
      assertThat(kafkaComponent(anonymousDuringOutage).has("details")).isFalse();
      assertThat(kafkaComponent(operatorDuringOutage).path("details").path("error").asString()).isNotBlank();
      assertThat(kafkaComponent(operatorDuringOutage).path("details").has("failingSince")).isTrue();
      assertEveryCommittedEventOnTheTopicInOrder(load.placed());
      Api.Response afterOutage = new Api(env.relayUrl(relay), env.token("operator")).get("/actuator/health");
      assertThat(afterOutage.status()).as("relay health once Kafka took the backlog").isEqualTo(200);
      assertThat(kafkaComponent(afterOutage).get("status").asString()).isEqualTo("UP");
      assertThat(kafkaComponent(afterOutage).path("details").has("lastAcknowledgedAt")).isTrue();
    }
  }

  @Test
  void aRelayKilledInTheMiddleOfAClaimAndPostgresRestartedUnderItLoseNothing() throws Exception {
    Process relay = env.relays().stream().filter(Process::isAlive).findFirst().orElseThrow();
    env.stopRelay(relay);
    List<String> backlog = placeAll(600); // a backlog, so that the next relay's claims are large
    await("the orders done").atMost(Duration.ofSeconds(120)).until(() -> countTerminal(backlog) == backlog.size());

    Process doomed = env.startRelay();
    await("the relay inside a claim").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> single("""
            SELECT count(*) FROM pg_stat_activity
            WHERE application_name LIKE 'order-relay-%' AND xact_start IS NOT NULL""") > 0);
    doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown, the claim dies with it

    try (Load load = new Load(5)) {
      env.startRelay();
      sleep(Duration.ofSeconds(3));
      await("the relay inside a claim").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
          .until(() -> single("""
              SELECT count(*) FROM pg_stat_activity
              WHERE application_name LIKE 'order-relay-%' AND xact_start IS NOT NULL""") > 0);
      TestPostgres.server().stop(); // fast shutdown: the relay's claim is rolled back under it
      sleep(Duration.ofSeconds(3));
      TestPostgres.server().restart();
      sleep(Duration.ofSeconds(10));
      load.stop();
      List<String> orders = new ArrayList<>(backlog);
      orders.addAll(load.placed());
      assertEveryCommittedEventOnTheTopicInOrder(orders);
    }
  }

  @Test
  void twoRelaysOverTwoThousandOrdersPublishEachEventOnceOrAsItsVerySelf() throws Exception {
    Process second = env.startRelay();
    List<String> orders = placeAll(2000);
    assertEveryCommittedEventOnTheTopicInOrder(orders);
    for (Process relay : env.relays().stream().filter(Process::isAlive).toList()) {
      assertThat(publishedBy(relay)).as("relay %s published its share", env.relayUrl(relay)).isGreaterThan(0);
    }
    env.stopRelay(second);
  }

  @Test
  void anEventKafkaCanNeverTakeIsParkedAloneAndTheRelayGoesOn() throws Exception {
    String key = "poison-" + System.nanoTime();
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "")) {
      // what a bug could write: data larger than the broker takes, a topic nobody publishes to
      db.createStatement().execute("""
          INSERT INTO outbox_events (topic, message_key, sequence, event_type, data) VALUES
            ('orders.events', '%1$s', 1, 'OrderPlaced', jsonb_build_object('orderId', '%1$s', 'blob', repeat('x', 1500000))),
            ('orders.nowhere', '%1$s', 2, 'OrderPlaced', jsonb_build_object('orderId', '%1$s')),
            ('orders.events', '%1$s', 3, 'OrderCompleted', jsonb_build_object('orderId', '%1$s', 'customerId', 'user_1',
              'sequence', 3, 'total', '1.00', 'currency', 'USD', 'loyaltyPointsAwarded', 1))"""
          .formatted(key));
    }
    try {
      await("both parked").atMost(Duration.ofSeconds(30))
          .until(() -> single("SELECT count(*) FROM outbox_events WHERE parked_at IS NOT NULL AND message_key = '" + key + "'") == 2);
      assertThat(errors(key)).satisfiesExactlyInAnyOrder(
          error -> assertThat(error).contains("RecordTooLargeException"),
          error -> assertThat(error).contains("topic orders.nowhere is not one the relay publishes to"));
      Process relay = env.relays().stream().filter(Process::isAlive).findFirst().orElseThrow();
      await("the parked gauge").atMost(Duration.ofSeconds(20))
          .until(() -> metric(relay, "orders_outbox_events_parked"), value -> value == 2.0);

      String after = api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Prefer", "wait=30")
          .body().get("orderId").asString();
      List<Event> read = KafkaEvents.readAll(env.kafkaBootstrap, 1, Duration.ofSeconds(2), Duration.ofSeconds(60));
      assertThat(KafkaEvents.ofKey(read, key)).as("the key's later event went on").extracting(Event::type)
          .containsExactly("OrderCompleted");
      assertThat(KafkaEvents.ofKey(read, after)).extracting(Event::type).containsExactly("OrderPlaced", "OrderCompleted");
    } finally {
      single("WITH gone AS (DELETE FROM outbox_events WHERE message_key = '" + key + "' RETURNING 1) SELECT count(*) FROM gone");
    }
  }

  /**
   * Every event committed for {@code orders} (outbox_events holds them all within its retention) is on
   * the topic; read with duplicates dropped by id, each order's events come in sequence order without a
   * gap; and any event read twice is the very same event.
   */
  private void assertEveryCommittedEventOnTheTopicInOrder(List<String> orders) {
    await("every order terminal").atMost(Duration.ofSeconds(180)).until(() -> countTerminal(orders) == orders.size());
    Map<String, List<String>> committed = committedIds(orders);
    int total = committed.values().stream().mapToInt(List::size).sum();
    List<Event> read = await("every committed event published").atMost(Duration.ofSeconds(180))
        .until(() -> KafkaEvents.readAll(env.kafkaBootstrap, total, Duration.ofSeconds(3), Duration.ofSeconds(90)),
            events -> committed.keySet().stream().allMatch(id -> KafkaEvents.ofKey(events, id).size() == committed.get(id).size()));

    Map<String, List<Event>> byKey = KafkaEvents.byKey(read);
    Map<String, Set<String>> sameEvent = new HashMap<>();
    for (String orderId : orders) {
      List<Event> deduped = KafkaEvents.ofKey(read, orderId);
      assertThat(deduped).extracting(Event::id).as("order %s: exactly the committed events, in commit order", orderId)
          .containsExactlyElementsOf(committed.get(orderId));
      for (Event event : byKey.get(orderId)) {
        sameEvent.computeIfAbsent(orderId + "#" + event.sequence(), k -> new HashSet<>()).add(event.id());
      }
      assertThat(byKey.get(orderId).stream().map(Event::partition).distinct()).as("one partition").hasSize(1);
    }
    assertThat(sameEvent).as("a duplicate is the very same event").allSatisfy((k, ids) -> assertThat(ids).hasSize(1));
    assertThat(read).allSatisfy(event -> assertThat(event.violations()).isEmpty());
  }

  /** Each order's committed event ids in sequence order, from outbox_events. */
  private Map<String, List<String>> committedIds(List<String> orders) {
    Map<String, List<String>> ids = new HashMap<>();
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         var query = db.prepareStatement("""
             SELECT message_key, id FROM outbox_events WHERE topic = 'orders.events' AND message_key = ANY (?)
             ORDER BY message_key, sequence""")) {
      query.setArray(1, db.createArrayOf("text", orders.toArray()));
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          ids.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertThat(ids.keySet()).as("every order wrote events").containsExactlyInAnyOrderElementsOf(orders);
    return ids;
  }

  private List<String> placeAll(int count) throws InterruptedException {
    List<String> placed = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService clients = Executors.newFixedThreadPool(12)) {
      for (int i = 0; i < count; i++) {
        clients.submit(() -> place().ifPresent(placed::add));
      }
    }
    assertThat(placed).hasSize(count);
    return List.copyOf(placed);
  }

  /**
   * Places one order as a careful client does: with an Idempotency-Key, asking again with the same key
   * when the connection failed or the service was unavailable (PostgreSQL restarting), so an order is
   * placed once or not at all. Empty when it never was accepted.
   */
  private java.util.Optional<String> place() {
    String key = java.util.UUID.randomUUID().toString();
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        Api.Response response = api.post("/orders", orderJson(CUSTOMER, SKU, 1, ADDRESS_US), "Idempotency-Key", key);
        if (response.status() == 202 || response.status() == 200) {
          return java.util.Optional.of(response.body().get("orderId").asString());
        }
        if (response.status() != 503) {
          throw new AssertionError("order refused: " + response.raw());
        }
      } catch (IllegalStateException connectionFailed) {
        // the api did not answer: try again with the same key
      }
      sleep(Duration.ofMillis(500L * attempt));
    }
    return java.util.Optional.empty();
  }

  /** Orders at a steady rate until stopped; only those the api accepted (202) count as placed. */
  private final class Load implements AutoCloseable {
    private final List<String> placed = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Load(int perSecond) {
      thread = Thread.ofPlatform().start(() -> {
        long next = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
          while (running.get()) {
            clients.submit(() -> place().ifPresent(placed::add));
            next += 1_000_000_000L / perSecond;
            long wait = next - System.nanoTime();
            if (wait > 0) {
              EndToEndEnvironment.sleep(wait / 1_000_000);
            }
          }
        }
      });
    }

    List<String> placed() {
      synchronized (placed) {
        return List.copyOf(placed);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  private long countTerminal(List<String> orders) {
    if (orders.isEmpty()) {
      return 0;
    }
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         var query = db.prepareStatement(
             "SELECT count(*) FROM orders WHERE order_id = ANY (?) AND status IN ('COMPLETED', 'FAILED', 'CANCELLED')")) {
      query.setArray(1, db.createArrayOf("text", orders.toArray()));
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return -1; // PostgreSQL is being restarted
    }
  }

  private List<String> errors(String key) throws SQLException {
    List<String> errors = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         ResultSet rs = db.createStatement().executeQuery(
             "SELECT publish_error FROM outbox_events WHERE parked_at IS NOT NULL AND message_key = '" + key + "'")) {
      while (rs.next()) {
        errors.add(rs.getString(1));
      }
    }
    return errors;
  }

  private static tools.jackson.databind.JsonNode kafkaComponent(Api.Response health) {
    return health.body().path("components").path("kafka");
  }

  private double publishedBy(Process relay) {
    return metric(relay, "orders_outbox_events_published_total");
  }

  /** A relay's metric, scraped from its /actuator/prometheus with an operator's token. */
  private double metric(Process relay, String name) {
    Api metrics = new Api(env.relayUrl(relay), env.token("operator"));
    String text = metrics.get("/actuator/prometheus").raw();
    return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private long single(String sql) {
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
         ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(Duration duration) {
    EndToEndEnvironment.sleep(duration.toMillis());
  }
}
