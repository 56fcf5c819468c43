package com.example.orders.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.devtools.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The claim against a real PostgreSQL with the real migrations: order per key, SKIP LOCKED, parking, retention. */
@SpringBootTest(classes = PendingEventsIntegrationTests.Claims.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PendingEventsIntegrationTests {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(PendingEvents.class)
  static class Claims {}

  private static final String URL = TestPostgres.newDatabase("relay");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
  }

  @Autowired PendingEvents events;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  @BeforeEach
  void emptyOutbox() {
    jdbc.sql("TRUNCATE outbox_events").update();
  }

  @Test
  void aClaimTakesEachKeysOldestUnpublishedEventOnlyOldestFirst() {
    insert("order-a", 1);
    insert("order-b", 1);
    insert("order-a", 2);
    insert("order-c", 1);

    assertThat(claim(10)).extracting(e -> e.key() + "#" + e.sequence())
        .containsExactly("order-a#1", "order-b#1", "order-c#1");
    assertThat(claim(2)).extracting(e -> e.key() + "#" + e.sequence()).containsExactly("order-a#1", "order-b#1");
    jdbc.sql("UPDATE outbox_events SET published_at = now() WHERE message_key = 'order-a' AND sequence = 1").update();
    assertThat(claim(10)).extracting(e -> e.key() + "#" + e.sequence())
        .as("published: the next one of its key is its oldest").containsExactly("order-b#1", "order-a#2", "order-c#1");
  }

  @Test
  void aKeyAnotherRelayHoldsIsSkippedWithAllItsLaterEvents() throws Exception {
    insert("order-a", 1);
    insert("order-b", 1);
    insert("order-a", 2);
    try (Connection otherRelay = DriverManager.getConnection(URL, "postgres", "")) {
      otherRelay.setAutoCommit(false);
      otherRelay.createStatement().execute(
          "SELECT * FROM outbox_events WHERE message_key = 'order-a' AND sequence = 1 FOR UPDATE");

      assertThat(claim(10)).extracting(e -> e.key() + "#" + e.sequence()).containsExactly("order-b#1");

      // the other relay publishes order-a#1 and commits: now order-a#2 is the oldest of its key
      otherRelay.createStatement().execute(
          "UPDATE outbox_events SET published_at = now() WHERE message_key = 'order-a' AND sequence = 1");
      otherRelay.commit();
    }
    assertThat(claim(10)).extracting(e -> e.key() + "#" + e.sequence())
        .containsExactly("order-b#1", "order-a#2");
  }

  @Test
  void aParkedEventHoldsNothingBackAndIsNeverClaimedAgain() {
    UUID poison = insert("order-a", 1);
    insert("order-a", 2);
    transactions.executeWithoutResult(status -> events.park(poison, "refused: too large"));

    assertThat(claim(10)).extracting(PendingEvent::sequence).containsExactly(2L);
    assertThat(events.parkedCount()).isEqualTo(1);
    assertThat(jdbc.sql("SELECT publish_error FROM outbox_events WHERE id = :id").param("id", poison)
        .query(String.class).single()).isEqualTo("refused: too large");
  }

  @Test
  void twoRelaysAtOnceClaimEachEventOnceAndEachKeyInOrder() throws Exception {
    for (int sequence = 1; sequence <= 5; sequence++) {
      for (int key = 0; key < 100; key++) {
        insert("order-" + key, sequence);
      }
    }
    List<String> publishedInOrder = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> claimsPerRelay = new ConcurrentHashMap<>();
    try (var relays = Executors.newFixedThreadPool(2)) {
      List<Future<?>> running = new ArrayList<>();
      for (String relay : List.of("relay-1", "relay-2")) {
        running.add(relays.submit(() -> {
          int empty = 0;
          while (empty < 3) {
            Integer claimed = transactions.execute(status -> {
              List<PendingEvent> batch = events.claim(7);
              batch.forEach(e -> publishedInOrder.add(e.key() + "#" + e.sequence())); // "published", before commit
              events.markPublished(batch.stream().map(PendingEvent::id).toList());
              return batch.size();
            });
            claimsPerRelay.merge(relay, claimed, Integer::sum);
            empty = claimed == 0 ? empty + 1 : 0;
          }
        }));
      }
      for (Future<?> relay : running) {
        relay.get();
      }
    }
    assertThat(publishedInOrder).hasSize(500).doesNotHaveDuplicates();
    Map<String, List<Integer>> sequencesByKey = publishedInOrder.stream().collect(Collectors.groupingBy(
        e -> e.substring(0, e.indexOf('#')), Collectors.mapping(e -> Integer.parseInt(e.substring(e.indexOf('#') + 1)),
            Collectors.toList())));
    assertThat(sequencesByKey).hasSize(100).allSatisfy((key, sequences) -> assertThat(sequences).containsExactly(1, 2, 3, 4, 5));
    assertThat(claimsPerRelay.values()).as("both relays did work").allMatch(n -> n > 0);
  }

  @Test
  void publishedRowsGoAfterTheRetentionAndOnlyThey() {
    UUID old = insert("order-a", 1);
    UUID recent = insert("order-a", 2);
    UUID waiting = insert("order-a", 3);
    jdbc.sql("UPDATE outbox_events SET published_at = now() - interval '2 hours' WHERE id = :id").param("id", old).update();
    jdbc.sql("UPDATE outbox_events SET published_at = now() WHERE id = :id").param("id", recent).update();

    assertThat(events.deletePublishedBefore(Duration.ofHours(1), 100)).isEqualTo(1);
    assertThat(jdbc.sql("SELECT id FROM outbox_events ORDER BY position").query(UUID.class).list())
        .containsExactly(recent, waiting);
    assertThat(events.oldestUnpublished()).isPresent();
  }

  private List<PendingEvent> claim(int keys) {
    return transactions.execute(status -> events.claim(keys));
  }

  private UUID insert(String key, long sequence) {
    return jdbc.sql("""
            INSERT INTO outbox_events (topic, message_key, sequence, event_type, data)
            VALUES ('orders.events', :key, :sequence, 'OrderPlaced', CAST(:data AS jsonb)) RETURNING id""")
        .param("key", key)
        .param("sequence", sequence)
        .param("data", "{\"orderId\":\"" + key + "\",\"sequence\":" + sequence + "}")
        .query(UUID.class)
        .single();
  }
}
