package com.example.orders.devtools.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The one line ./run events prints per event. */
class EventTailTests {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Test
  void anOrderEventShowsItsTimePlaceTypeSubjectSequenceAndData() {
    String data = "{\"orderId\": \"o-1\", \"sequence\": 5, \"customerId\": \"user_1\"}";
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_type", bytes("com.example.orders.OrderCompleted"));
    headers.add("ce_subject", bytes("o-1"));
    headers.add("ce_time", bytes("2026-12-03T13:40:01.123456Z"));

    assertThat(EventTail.line(record("orders.events", 2, 17, headers, data))).isEqualTo(
        LOCAL.format(Instant.parse("2026-12-03T13:40:01.123Z"))
            + "  orders.events/2@17  com.example.orders.OrderCompleted  order o-1  seq 5  " + data);
  }

  @Test
  void aStockEventNamesItsSkuAndARecordWithoutHeadersFallsBackToItsTimestamp() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_subject", bytes("product_1"));

    assertThat(EventTail.line(record("inventory.events", 0, 3, headers, "{}"))).isEqualTo(
        LOCAL.format(Instant.ofEpochMilli(1_000)) + "  inventory.events/0@3  -  sku product_1  seq -  {}");
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, RecordHeaders headers,
      String value) {
    return new ConsumerRecord<>(topic, partition, offset, 1_000L, TimestampType.CREATE_TIME, -1, -1, bytes("key"),
        bytes(value), headers, Optional.empty());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
