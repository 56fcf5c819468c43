package com.example.orders.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.relay.EventPublisher.Outcome;
import com.example.orders.relay.EventPublisher.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The relay's "kafka" health component, fed the outcomes of its batches as OutboxRelay does. */
class KafkaHealthIndicatorTests {

  private static final Instant T0 = Instant.parse("2026-12-05T03:00:00Z");

  private final KafkaHealthIndicator health = new KafkaHealthIndicator(
      new RelayProperties("127.0.0.1:9092", 1000, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(15)));

  @Test
  void upBeforeAnyBatchNamingTheBroker() {
    Health before = health.health();
    assertThat(before.getStatus()).isEqualTo(Status.UP);
    assertThat(before.getDetails()).containsOnly(java.util.Map.entry("bootstrapServers", "127.0.0.1:9092"));
  }

  @Test
  void downFromTheFirstBatchTheBrokerLeftToRetryUntilItTakesOneAgain() {
    health.record(List.of(result(Outcome.PUBLISHED, null)), T0);
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    assertThat(health.health().getDetails()).containsEntry("lastAcknowledgedAt", "2026-12-05T03:00:00Z");

    health.record(List.of(result(Outcome.PUBLISHED, null), result(Outcome.RETRY, "TimeoutException: expired")), T0.plusSeconds(5));
    health.record(List.of(result(Outcome.RETRY, "Kafka unreachable")), T0.plusSeconds(11));
    Health down = health.health();
    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
    assertThat(down.getDetails())
        .containsEntry("error", "Kafka unreachable")
        .containsEntry("failingSince", "2026-12-05T03:00:05Z")
        .containsEntry("lastAcknowledgedAt", "2026-12-05T03:00:00Z");

    health.record(List.of(result(Outcome.PUBLISHED, null)), T0.plusSeconds(30));
    Health back = health.health();
    assertThat(back.getStatus()).isEqualTo(Status.UP);
    assertThat(back.getDetails()).containsEntry("lastAcknowledgedAt", "2026-12-05T03:00:30Z")
        .doesNotContainKeys("error", "failingSince");
  }

  @Test
  void aBatchOfParkedEventsOnlyChangesNothing() {
    health.record(List.of(result(Outcome.RETRY, "Kafka unreachable")), T0);
    health.record(List.of(result(Outcome.PARKED, "refused: too large")), T0.plusSeconds(1));
    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

    health.record(List.of(result(Outcome.PUBLISHED, null)), T0.plusSeconds(2));
    health.record(List.of(result(Outcome.PARKED, "refused: too large")), T0.plusSeconds(3));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    assertThat(health.health().getDetails()).containsEntry("lastAcknowledgedAt", "2026-12-05T03:00:02Z");
  }

  private static Result result(Outcome outcome, String error) {
    PendingEvent event = new PendingEvent(UUID.randomUUID(), 1, "orders.events", "order-1", 1, "OrderPlaced", "{}",
        OffsetDateTime.parse("2026-12-05T02:59:59Z"));
    return new Result(event, outcome, error);
  }
}
