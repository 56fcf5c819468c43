package com.example.orders.domain.outbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an event into the outbox in the caller's transaction, so it commits with the change it
 * announces or not at all; the relay publishes it once committed. The contract for consumers is
 * docs/events.asyncapi.yaml.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class Outbox {

  public static final String ORDERS_TOPIC = "orders.events";
  public static final String INVENTORY_TOPIC = "inventory.events";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  public Outbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An event of order {@code orderId} on orders.events: orderId, customerId and sequence, then {@code fields}. */
  public void orderEvent(String orderId, String customerId, String type, Map<String, Object> fields) {
    long sequence = nextSequence(ORDERS_TOPIC, orderId);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", orderId);
    data.put("customerId", customerId);
    data.put("sequence", sequence);
    data.putAll(fields);
    insert(ORDERS_TOPIC, orderId, sequence, type, data);
  }

  /** StockChanged of {@code sku} on inventory.events. */
  public void stockEvent(String sku, Map<String, Object> fields) {
    long sequence = nextSequence(INVENTORY_TOPIC, sku);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sku", sku);
    data.put("sequence", sequence);
    data.putAll(fields);
    insert(INVENTORY_TOPIC, sku, sequence, "StockChanged", data);
  }

  /** Money in events: a string with two decimals, never a JSON number (no floating point on the way). */
  public static String money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  /** The key's next sequence number; its row stays locked until commit (see V12). */
  private long nextSequence(String topic, String key) {
    return jdbc.sql("""
            INSERT INTO outbox_sequences (topic, message_key, last_sequence) VALUES (:topic, :key, 1)
            ON CONFLICT (topic, message_key) DO UPDATE SET last_sequence = outbox_sequences.last_sequence + 1
            RETURNING last_sequence""")
        .param("topic", topic)
        .param("key", key)
        .query(Long.class)
        .single();
  }

  private void insert(String topic, String key, long sequence, String type, Map<String, Object> data) {
    jdbc.sql("""
            INSERT INTO outbox_events (topic, message_key, sequence, event_type, data)
            VALUES (:topic, :key, :sequence, :type, CAST(:data AS jsonb))""")
        .param("topic", topic)
        .param("key", key)
        .param("sequence", sequence)
        .param("type", type)
        .param("data", JSON.writeValueAsString(data))
        .update();
  }
}
