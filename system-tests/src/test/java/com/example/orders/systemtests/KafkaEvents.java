package com.example.orders.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is on the topics, read by an independent client: librdkafka through Python's confluent-kafka
 * (src/test/python/read_events.py, ORDERS_EVENTS_PYTHON, which ./run test provisions), each record
 * checked there against docs/events.asyncapi.yaml.
 */
public final class KafkaEvents {

  /** One record as read: its place, key, CloudEvents headers, data and what did not match the document. */
  public record Event(String topic, int partition, long offset, String key, Map<String, String> headers, JsonNode data,
      List<String> violations) {

    public String id() {
      return headers.get("ce_id");
    }

    /** The event type without its prefix: OrderPlaced, ... */
    public String type() {
      return headers.getOrDefault("ce_type", "").replace("com.example.orders.", "");
    }

    public long sequence() {
      return data.get("sequence").asLong();
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path SCRIPT = Path.of("src", "test", "python", "read_events.py");
  private static final Path ASYNCAPI = Path.of("..", "docs", "events.asyncapi.yaml");

  private KafkaEvents() {}

  /**
   * Every record on both topics from the beginning, in the order read, once at least {@code atLeast}
   * were read and none arrived for {@code idle} (or {@code max} passed).
   */
  public static List<Event> readAll(String bootstrap, int atLeast, Duration idle, Duration max) {
    String python = System.getenv("ORDERS_EVENTS_PYTHON");
    if (python == null || !Files.isExecutable(Path.of(python))) {
      throw new IllegalStateException("reading the topics needs ORDERS_EVENTS_PYTHON, a Python with confluent-kafka,"
          + " jsonschema and pyyaml (./run test provisions it); was: " + python);
    }
    try {
      Path stderr = Files.createTempFile("read-events", ".log");
      Process reader = new ProcessBuilder(python, SCRIPT.toString(), bootstrap, ASYNCAPI.toString(),
          "--idle", String.valueOf(idle.toMillis() / 1000.0), "--max", String.valueOf(max.toSeconds()),
          "--min-records", String.valueOf(atLeast))
          .redirectError(stderr.toFile())
          .start();
      List<Event> events = new ArrayList<>();
      try (var lines = reader.inputReader(StandardCharsets.UTF_8).lines()) {
        lines.forEach(line -> events.add(parse(line)));
      }
      if (!reader.waitFor(30, TimeUnit.SECONDS) || reader.exitValue() != 0) {
        throw new IllegalStateException("read_events.py failed: " + Files.readString(stderr));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One key's events, duplicates (same id) dropped as a consumer would, in the order read. */
  public static List<Event> ofKey(List<Event> events, String key) {
    Map<String, Event> byId = new LinkedHashMap<>();
    events.stream().filter(e -> key.equals(e.key())).forEach(e -> byId.putIfAbsent(e.id(), e));
    return List.copyOf(byId.values());
  }

  /** Each key's events in the order read (partition order), duplicates kept. */
  public static Map<String, List<Event>> byKey(List<Event> events) {
    return events.stream().collect(Collectors.groupingBy(Event::key, LinkedHashMap::new, Collectors.toList()));
  }

  private static Event parse(String line) {
    JsonNode node = JSON.readTree(line);
    Map<String, String> headers = new LinkedHashMap<>();
    node.get("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
    List<String> violations = new ArrayList<>();
    node.get("violations").forEach(v -> violations.add(v.asString()));
    return new Event(node.get("topic").asString(), node.get("partition").asInt(), node.get("offset").asLong(),
        node.get("key").isNull() ? null : node.get("key").asString(), headers, node.get("data"), violations);
  }
}
