package com.example.orders.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What a batch becomes, against Kafka's MockProducer: the envelope, parking and retries. */
class EventPublisherTests {

  @Test
  void anEventIsACloudEventInBinaryModeKeyedByItsSubject() {
    PendingEvent event = event("order-1", 3, "OrderCompleted", "{\"orderId\":\"order-1\",\"sequence\":3}");
    ProducerRecord<String, byte[]> record = new EventPublisher(() -> autoCompleting()).record(event);

    assertThat(record.topic()).isEqualTo("orders.events");
    assertThat(record.key()).isEqualTo("order-1");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"order-1\",\"sequence\":3}");
    Map<String, String> headers = StreamSupport.stream(record.headers().spliterator(), false)
        .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8)));
    assertThat(headers).containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", event.id().toString())
        .containsEntry("ce_source", "/orders")
        .containsEntry("ce_type", "com.example.orders.OrderCompleted")
        .containsEntry("ce_subject", "order-1")
        .containsEntry("content-type", "application/json")
        .containsKey("ce_time");
    assertThat(OffsetDateTime.parse(headers.get("ce_time"))).isEqualTo(event.createdAt());
  }

  @Test
  void whatKafkaCanNeverTakeIsParkedAloneAndTheRestIsPublished() {
    MockProducer<String, byte[]> producer = answeredByTheTest();
    EventPublisher publisher = new EventPublisher(() -> producer);
    List<PendingEvent> batch = List.of(
        event("order-1", 1, "OrderPlaced", "{}"),
        event("order-2", 4, "OrderAwaitingReview", "{\"huge\":true}"),
        event("order-3", 2, "OrderCompleted", "{}"),
        new PendingEvent(UUID.randomUUID(), 9, "elsewhere.events", "order-4", 1, "OrderPlaced", "{}", OffsetDateTime.now()),
        event("order-5", 1, "OrderPlaced", "[1]"));
    Thread broker = answer(producer, List.of(true, false, true)); // the second is refused as too large

    List<EventPublisher.Result> results = publisher.publish(batch);
    join(broker);
    assertThat(results).extracting(EventPublisher.Result::outcome).containsExactly(EventPublisher.Outcome.PUBLISHED,
        EventPublisher.Outcome.PARKED, EventPublisher.Outcome.PUBLISHED, EventPublisher.Outcome.PARKED,
        EventPublisher.Outcome.PARKED);
    assertThat(results.get(1).error()).contains("RecordTooLargeException");
    assertThat(results.get(3).error()).contains("topic elsewhere.events is not one the relay publishes to");
    assertThat(results.get(4).error()).contains("not a JSON object");
  }

  @Test
  void anEventTheBrokerDidNotTakeIsRetriedAndTheOthersArePublished() {
    MockProducer<String, byte[]> producer = answeredByTheTest();
    EventPublisher publisher = new EventPublisher(() -> producer);
    List<PendingEvent> batch = List.of(
        event("order-1", 1, "OrderPlaced", "{}"),
        event("order-2", 1, "OrderPlaced", "{}"),
        event("order-3", 3, "OrderCompleted", "{}"));
    Thread broker = new Thread(() -> {
      awaitSent(producer, 3);
      producer.completeNext();
      producer.errorNext(new NetworkException("broker away"));
      producer.completeNext();
    });
    broker.start();

    List<EventPublisher.Result> results = publisher.publish(batch);
    join(broker);
    assertThat(results).extracting(EventPublisher.Result::outcome).containsExactly(EventPublisher.Outcome.PUBLISHED,
        EventPublisher.Outcome.RETRY, EventPublisher.Outcome.PUBLISHED);
    assertThat(results.get(1).error()).contains("broker away");
  }

  /** Leaves every send pending until the test's broker thread answers it (MockProducer's flush would ack all). */
  private static MockProducer<String, byte[]> answeredByTheTest() {
    return new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public void flush() {}
    };
  }

  private static MockProducer<String, byte[]> autoCompleting() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  /** Answers the first sends in order: true acknowledges, false refuses as too large. */
  private static Thread answer(MockProducer<String, byte[]> producer, List<Boolean> answers) {
    Thread broker = new Thread(() -> {
      awaitSent(producer, answers.size());
      for (boolean ok : answers) {
        if (ok) {
          producer.completeNext();
        } else {
          producer.errorNext(new RecordTooLargeException("larger than max.request.size"));
        }
      }
    });
    broker.start();
    return broker;
  }

  private static void awaitSent(MockProducer<String, byte[]> producer, int count) {
    while (producer.history().size() < count) {
      Thread.onSpinWait();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static PendingEvent event(String key, long sequence, String type, String data) {
    return new PendingEvent(UUID.randomUUID(), sequence, "orders.events", key, sequence, type, data,
        OffsetDateTime.parse("2026-12-03T13:40:01.123456Z"));
  }
}
