package com.example.orders.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's loop: in one transaction, claim a batch, publish it, record what was published and park
 * what never can be; commit. A crash anywhere before the commit leaves the rows unpublished and they
 * are published again, under the same id: at least once, never lost.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int DELETE_LIMIT = 10_000;

  private final PendingEvents events;
  private final TransactionTemplate transactions;
  private final RelayProperties settings;
  private final EventPublisher publisher;
  private final KafkaHealthIndicator brokerHealth;
  private final Counter published;
  private final Counter retried;
  private final DistributionSummary batchSize;
  private final Timer lag;
  private final AtomicLong oldestAgeMillis = new AtomicLong();
  private final AtomicLong parked = new AtomicLong();
  private volatile boolean running;
  private Thread loop;

  public OutboxRelay(PendingEvents events, TransactionTemplate transactions, RelayProperties settings,
      KafkaHealthIndicator brokerHealth, MeterRegistry meters) {
    this.events = events;
    this.transactions = transactions;
    this.settings = settings;
    this.publisher = new EventPublisher(settings);
    this.brokerHealth = brokerHealth;
    this.published = Counter.builder("orders.outbox.events.published")
        .description("Events the broker acknowledged and the relay recorded as published").register(meters);
    this.retried = Counter.builder("orders.outbox.events.retried")
        .description("Events a claim could not publish (broker away, timeout); claimed again later").register(meters);
    this.batchSize = DistributionSummary.builder("orders.outbox.batch.size")
        .description("Events per claim").register(meters);
    this.lag = Timer.builder("orders.outbox.publish.lag")
        .description("From the event's write (its transaction's commit) to the broker's acknowledgement")
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(meters);
    Gauge.builder("orders.outbox.oldest.unpublished.age", oldestAgeMillis, age -> age.get() / 1000.0)
        .description("Age of the oldest event waiting to be published (0: none waits)")
        .baseUnit("seconds").register(meters);
    Gauge.builder("orders.outbox.events.parked", parked, AtomicLong::get)
        .description("Events held because they cannot be published; see docs/events.md").register(meters);
  }

  /** One claim's outcome: how many events it took, and whether the broker left any of them to retry. */
  record Claim(int size, boolean retry) {}

  private static final Claim NOTHING = new Claim(0, false);

  /** Claims and publishes one batch. */
  Claim relayOnce() {
    Claim claim = transactions.execute(status -> {
      long start = System.nanoTime();
      List<PendingEvent> batch = events.claim(settings.batchSize());
      if (batch.isEmpty()) {
        return NOTHING;
      }
      long claimedAt = System.nanoTime();
      List<EventPublisher.Result> results = publisher.publish(batch);
      long publishedAt = System.nanoTime();
      OffsetDateTime now = OffsetDateTime.now();
      brokerHealth.record(results, now.toInstant());
      List<java.util.UUID> done = results.stream()
          .filter(r -> r.outcome() == EventPublisher.Outcome.PUBLISHED).map(r -> r.event().id()).toList();
      events.markPublished(done);
      if (log.isDebugEnabled()) {
        log.debug("claimed {} in {} ms, published in {} ms, recorded in {} ms", batch.size(),
            (claimedAt - start) / 1_000_000, (publishedAt - claimedAt) / 1_000_000, (System.nanoTime() - publishedAt) / 1_000_000);
      }
      boolean retry = false;
      for (EventPublisher.Result result : results) {
        switch (result.outcome()) {
          case PUBLISHED -> lag.record(Duration.between(result.event().createdAt(), now));
          case PARKED -> {
            log.error("Parked event {} ({} {} of {}): {}", result.event().id(), result.event().type(),
                result.event().sequence(), result.event().key(), result.error());
            events.park(result.event().id(), result.error());
          }
          case RETRY -> {
            retried.increment();
            retry = true;
          }
        }
      }
      published.increment(done.size());
      batchSize.record(batch.size());
      return new Claim(batch.size(), retry);
    });
    return claim == null ? NOTHING : claim;
  }

  private void run() {
    while (running) {
      try {
        Claim claim = relayOnce();
        if (claim.retry()) { // some could not be published: let the broker come back
          sleep(settings.retryBackoff());
        } else if (claim.size() < settings.batchSize()) {
          // no backlog: let events gather for a moment, so a trickle costs a few claims a second, not one
          // per commit; a full claim means a backlog, drained without pause
          sleep(settings.idlePoll());
        }
      } catch (RuntimeException e) {
        log.warn("Relay claim failed, retrying in {}: {}", settings.retryBackoff(), e.toString());
        sleep(settings.retryBackoff());
      }
    }
  }

  /** The gauges, and deleting what was published longer ago than the retention. */
  @Scheduled(fixedDelayString = "${orders.relay.housekeeping-interval:5s}")
  void housekeeping() {
    try {
      oldestAgeMillis.set(events.oldestUnpublished()
          .map(oldest -> Math.max(0, Duration.between(oldest, OffsetDateTime.now()).toMillis())).orElse(0L));
      parked.set(events.parkedCount());
      int deleted;
      do {
        deleted = events.deletePublishedBefore(settings.retention(), DELETE_LIMIT);
      } while (deleted == DELETE_LIMIT && running);
    } catch (RuntimeException e) {
      log.warn("Relay housekeeping failed: {}", e.toString());
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void start() {
    running = true;
    loop = Thread.ofPlatform().name("outbox-relay").start(this::run);
  }

  @Override
  public void stop() {
    running = false;
    if (loop != null) {
      try {
        loop.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    publisher.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
