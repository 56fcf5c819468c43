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
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", orderId);
    data.put("customerId", customerId);
    data.putAll(fields);
    insert(ORDERS_TOPIC, orderId, type, data);
  }

  /** StockChanged of {@code sku} on inventory.events. */
  public void stockEvent(String sku, Map<String, Object> fields) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sku", sku);
    data.putAll(fields);
    insert(INVENTORY_TOPIC, sku, "StockChanged", data);
  }

  /** Money in events: a string with two decimals, never a JSON number (no floating point on the way). */
  public static String money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  /**
   * One statement: the key's next sequence number (its outbox_sequences row stays locked until commit,
   * see V12), and the event with that number in its row and in its data.
   */
  private void insert(String topic, String key, String type, Map<String, Object> data) {
    jdbc.sql("""
            WITH next AS (
              INSERT INTO outbox_sequences (topic, message_key, last_sequence) VALUES (:topic, :key, 1)
              ON CONFLICT (topic, message_key) DO UPDATE SET last_sequence = outbox_sequences.last_sequence + 1
              RETURNING last_sequence)
            INSERT INTO outbox_events (topic, message_key, sequence, event_type, data)
            SELECT :topic, :key, next.last_sequence, :type,
                   CAST(:data AS jsonb) || jsonb_build_object('sequence', next.last_sequence)
            FROM next""")
        .param("topic", topic)
        .param("key", key)
        .param("type", type)
        .param("data", JSON.writeValueAsString(data))
        .update();
  }
}
