package com.example.orders.relay;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes claimed events as CloudEvents 1.0 in Kafka's binary content mode: the attributes as ce_
 * headers, the data as the value, the event's key (order id or SKU) as the record key, so one key's
 * events share a partition. The producer is idempotent with acks=all: its own retries write nothing twice.
 */
public class EventPublisher implements AutoCloseable {

  /** What became of one event of a batch. */
  public enum Outcome { PUBLISHED, PARKED, RETRY }

  public record Result(PendingEvent event, Outcome outcome, String error) {}

  static final String TYPE_PREFIX = "com.example.orders.";
  /** The topics the relay publishes to, with the CloudEvents source of their events. */
  private static final Map<String, URI> SOURCES = Map.of("orders.events", URI.create("/orders"),
      "inventory.events", URI.create("/inventory"));
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  private final Supplier<Producer<String, byte[]>> producers;
  private Producer<String, byte[]> producer;

  public EventPublisher(RelayProperties settings) {
    this(() -> kafkaProducer(settings));
  }

  /** With {@code producers} making its producers (a test's MockProducer). */
  EventPublisher(Supplier<Producer<String, byte[]>> producers) {
    this.producers = producers;
    this.producer = this.producers.get();
  }

  /**
   * Sends the batch (at most one event per key: {@link PendingEvents#claim}) and waits for the broker's
   * acknowledgements. An event Kafka can never take (too large, not serialisable, a topic the relay does
   * not publish to) is PARKED; any other failure (the broker away, a timeout) is RETRY: claimed again.
   */
  public List<Result> publish(List<PendingEvent> batch) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    List<String> refusals = new ArrayList<>(batch.size());
    boolean brokerUnreachable = false;
    for (PendingEvent event : batch) {
      Future<RecordMetadata> future = null;
      String refusal = null;
      if (!brokerUnreachable) {
        try {
          future = producer.send(record(event));
        } catch (IllegalArgumentException | IllegalStateException e) {
          refusal = "cannot be serialised: " + e.getMessage();
        } catch (KafkaException e) {
          if (isPoison(e)) {
            refusal = "refused: " + e;
          } else {
            brokerUnreachable = true; // send() blocked for metadata and gave up: the rest would too
            log.warn("Kafka unreachable: {}", e.toString());
          }
        }
      }
      sent.add(future);
      refusals.add(refusal);
    }
    producer.flush();
    List<Result> results = new ArrayList<>(batch.size());
    boolean recreate = false;
    for (int i = 0; i < batch.size(); i++) {
      PendingEvent event = batch.get(i);
      if (refusals.get(i) != null) {
        results.add(new Result(event, Outcome.PARKED, refusals.get(i)));
      } else if (sent.get(i) == null) {
        results.add(new Result(event, Outcome.RETRY, "Kafka unreachable"));
      } else {
        try {
          sent.get(i).get();
          results.add(new Result(event, Outcome.PUBLISHED, null));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (isPoison(cause)) {
            results.add(new Result(event, Outcome.PARKED, "refused: " + cause));
          } else {
            results.add(new Result(event, Outcome.RETRY, String.valueOf(cause)));
            recreate |= !(cause instanceof RetriableException);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          results.add(new Result(event, Outcome.RETRY, "interrupted"));
        }
      }
    }
    if (recreate) { // a fatal producer error (fenced, out of sequence): start over with a fresh producer
      log.warn("Recreating the Kafka producer after a fatal error");
      producer.close(java.time.Duration.ZERO);
      producer = producers.get();
    }
    return results;
  }

  /** The event as a Kafka record; IllegalArgumentException when it cannot be one. */
  ProducerRecord<String, byte[]> record(PendingEvent event) {
    URI source = SOURCES.get(event.topic());
    if (source == null) {
      throw new IllegalArgumentException("topic " + event.topic() + " is not one the relay publishes to " + SOURCES.keySet());
    }
    if (!event.data().startsWith("{")) {
      throw new IllegalArgumentException("its data is not a JSON object");
    }
    CloudEvent cloudEvent = CloudEventBuilder.v1()
        .withId(event.id().toString())
        .withSource(source)
        .withType(TYPE_PREFIX + event.type())
        .withSubject(event.key())
        .withTime(event.createdAt())
        .withDataContentType("application/json")
        .withData(event.data().getBytes(StandardCharsets.UTF_8))
        .build();
    return KafkaMessageFactory.createWriter(event.topic(), event.key()).writeBinary(cloudEvent);
  }

  private static boolean isPoison(Throwable e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException || e instanceof SerializationException || e instanceof InvalidTopicException;
  }

  private static Producer<String, byte[]> kafkaProducer(RelayProperties settings) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "order-relay-" + ProcessHandle.current().pid());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A claim holds its rows' locks while it waits: give up on an unreachable broker within seconds, roll
    // the claim's outcome forward for what was acknowledged, and claim the rest again after a backoff.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(config);
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
