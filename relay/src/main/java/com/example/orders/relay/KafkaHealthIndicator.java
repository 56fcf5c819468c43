package com.example.orders.relay;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "kafka" component of the relay's /actuator/health: whether the broker takes what the relay
 * publishes. DOWN from the first batch the broker left to retry until it takes one again, with the
 * error and since when. The relay learns this by publishing, so a relay with nothing to publish
 * reports its last batch's outcome rather than probing the broker.
 */
@Component("kafka")
public class KafkaHealthIndicator implements HealthIndicator {

  private record State(Instant lastAcknowledged, Instant failingSince, String error) {}

  private final String bootstrapServers;
  private volatile State state = new State(null, null, null);

  public KafkaHealthIndicator(RelayProperties settings) {
    this.bootstrapServers = settings.bootstrapServers();
  }

  /** Records one batch's outcome: any event left to retry means the broker did not take it. */
  void record(List<EventPublisher.Result> results, Instant now) {
    Optional<EventPublisher.Result> refused =
        results.stream().filter(r -> r.outcome() == EventPublisher.Outcome.RETRY).findFirst();
    State last = state;
    if (refused.isPresent()) {
      state = new State(last.lastAcknowledged(), last.failingSince() == null ? now : last.failingSince(),
          refused.get().error());
    } else if (results.stream().anyMatch(r -> r.outcome() == EventPublisher.Outcome.PUBLISHED)) {
      state = new State(now, null, null);
    } // a batch of parked events only says nothing about whether the broker takes the others
  }

  @Override
  public Health health() {
    State current = state;
    Health.Builder health = current.failingSince() == null ? Health.up()
        : Health.down().withDetail("error", current.error()).withDetail("failingSince", current.failingSince().toString());
    health.withDetail("bootstrapServers", bootstrapServers);
    if (current.lastAcknowledged() != null) {
      health.withDetail("lastAcknowledgedAt", current.lastAcknowledged().toString());
    }
    return health.build();
  }
}
