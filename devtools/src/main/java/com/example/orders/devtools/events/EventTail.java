package com.example.orders.devtools.events;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./run events [--bootstrap HOST:PORT] [--from-beginning]}: every event of orders.events and
 * inventory.events as it arrives (or all of them first), one line each, so that a person can watch an
 * order's life:
 *
 * <pre>13:40:01.123  orders.events/2@17  com.example.orders.OrderCompleted  order 8f2c...  seq 5  {"orderId":...}</pre>
 *
 * The time is the event's {@code ce_time} in this machine's zone. It reads with no consumer group
 * (every partition assigned, nothing committed), so it moves no one's offsets.
 */
public final class EventTail {

  private static final List<String> TOPICS = List.of("orders.events", "inventory.events");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");

  private EventTail() {}

  public static void main(String[] args) {
    String bootstrap = "127.0.0.1:9092";
    boolean fromBeginning = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = args[++i];
        case "--from-beginning" -> fromBeginning = true;
        default -> {
          System.err.println("usage: ./run events [--from-beginning]");
          System.exit(2);
        }
      }
    }
    // the client warns at every failed connection attempt; the one message below says it once
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
    var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
        ConsumerConfig.CLIENT_ID_CONFIG, "orders-event-tail"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      consumer.wakeup();
      try {
        closed.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        // exiting anyway
      }
    }));
    int status = 0;
    try (consumer) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        var found = consumer.partitionsFor(topic);
        if (found.isEmpty()) {
          System.err.println("no topic " + topic + " on " + bootstrap);
        }
        found.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      System.err.println("events of " + String.join(", ", TOPICS) + " on " + bootstrap
          + (fromBeginning ? ", from the beginning" : ", from now") + "; Ctrl-C stops");
      while (true) {
        consumer.poll(Duration.ofSeconds(1)).forEach(record -> System.out.println(line(record)));
      }
    } catch (WakeupException stopping) {
      // Ctrl-C
    } catch (TimeoutException noBroker) {
      System.err.println("no answer from Kafka at " + bootstrap + " (ORDERS_KAFKA_BOOTSTRAP): " + noBroker.getMessage());
      status = 1;
    } finally {
      closed.countDown();
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  static String line(ConsumerRecord<byte[], byte[]> record) {
    String data = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
    Matcher sequence = SEQUENCE.matcher(data);
    return String.join("  ",
        time(record),
        record.topic() + "/" + record.partition() + "@" + record.offset(),
        header(record, "ce_type"),
        (record.topic().equals("inventory.events") ? "sku " : "order ") + header(record, "ce_subject"),
        "seq " + (sequence.find() ? sequence.group(1) : "-"),
        data);
  }

  /** The event's ce_time, or the record's timestamp if it has none (or one that does not parse). */
  private static String time(ConsumerRecord<byte[], byte[]> record) {
    try {
      return TIME.format(Instant.parse(header(record, "ce_time")));
    } catch (DateTimeParseException notAnInstant) {
      return TIME.format(Instant.ofEpochMilli(record.timestamp()));
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
