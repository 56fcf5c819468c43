package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.systemtests.KafkaEvents.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Orders of every outcome, as other systems see them: the events on Kafka, read by an independent
 * client and checked against docs/events.asyncapi.yaml. Each order's events are the ones its changes
 * committed, once each, on one partition, in commit order, numbered 1, 2, 3, ... (docs/events.md).
 */
class EventsIT extends EndToEndTest {

  private static final String ADDRESS_AQ = ADDRESS_US.replace("\"US\"", "\"AQ\"");
  private final Api carrier = env.client("carrier");

  @Test
  void everyOutcomeOfAnOrderReachesKafkaAsItsCommittedEventsInOrder() {
    Map<String, List<String>> expected = new LinkedHashMap<>();

    String completed = placeAndWait(orderJson("user_1", "product_1", 2, ADDRESS_US), "COMPLETED");
    expected.put(completed, List.of("OrderPlaced", "OrderCompleted"));
    String outOfStock = placeAndWait(orderJson("user_1", "product_1", 200, ADDRESS_US), "FAILED");
    expected.put(outOfStock, List.of("OrderPlaced", "OrderFailed"));
    String undeliverable = placeAndWait(orderJson("user_2", "product_1", 1, ADDRESS_AQ), "FAILED");
    expected.put(undeliverable, List.of("OrderPlaced", "PaymentRefunded", "OrderFailed"));

    String cancelled = placeAndAwaitReview(orderJson("user_1", "product_3", 2, ADDRESS_US));
    assertThat(env.client("user_1").post("/orders/" + cancelled + "/cancel", "", "Prefer", "wait=30").status()).isEqualTo(200);
    expected.put(cancelled, List.of("OrderPlaced", "OrderAwaitingReview", "OrderCancelled"));

    String reviewedAndDelivered = placeAndAwaitReview(orderJson("user_1", "product_3", 2, ADDRESS_US));
    assertThat(api.post("/orders/" + reviewedAndDelivered + "/review", "{\"decision\":\"APPROVE\"}").status()).isEqualTo(200);
    JsonNode approved = awaitStatus(reviewedAndDelivered, "COMPLETED");
    String tracking = approved.get("shipment").get("trackingNumber").asString();
    assertThat(carrier.post("/shipments/" + tracking + "/events", carrierEvent("d1-" + tracking, "DISPATCHED")).status()).isEqualTo(200);
    assertThat(carrier.post("/shipments/" + tracking + "/events", carrierEvent("d2-" + tracking, "DELIVERED")).status()).isEqualTo(200);
    expected.put(reviewedAndDelivered, List.of("OrderPlaced", "OrderAwaitingReview", "OrderCompleted",
        "ShipmentDispatched", "ShipmentDelivered"));

    // a product of its own: the demo products' stock is what the invariants check
    String sku = "events_" + System.nanoTime();
    assertThat(api.put("/inventory/" + sku, "{\"name\":\"Events\",\"price\":2.50,\"available\":10}").status()).isIn(200, 201);
    assertThat(api.put("/inventory/" + sku, "{\"available\":75}").status()).isEqualTo(200);

    env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "3s"));
    String lost;
    try {
      JsonNode order = api.post("/orders", orderJson("user_2", "product_2", 1, ADDRESS_US), "Prefer", "wait=30").body();
      lost = order.get("orderId").asString();
      String lostTracking = order.get("shipment").get("trackingNumber").asString();
      assertThat(carrier.post("/shipments/" + lostTracking + "/events", carrierEvent("l1-" + lostTracking, "DISPATCHED")).status())
          .isEqualTo(200);
      await("the parcel declared lost").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> api.get("/orders/" + lost).body().get("shipment").get("status").asString(), "LOST"::equals);
    } finally {
      env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "14d"));
    }
    expected.put(lost, List.of("OrderPlaced", "OrderCompleted", "ShipmentDispatched", "ShipmentLost", "PaymentRefunded"));

    int total = expected.values().stream().mapToInt(List::size).sum() + 2;
    List<Event> read = await("every committed event on the topics").atMost(Duration.ofSeconds(60))
        .until(() -> KafkaEvents.readAll(env.kafkaBootstrap, total, Duration.ofSeconds(2), Duration.ofSeconds(30)),
            events -> KafkaEvents.ofKey(events, sku).size() == 2
                && expected.keySet().stream().allMatch(id -> KafkaEvents.ofKey(events, id).size() == expected.get(id).size()));

    assertThat(read).as("every record on the topics matches docs/events.asyncapi.yaml")
        .allSatisfy(event -> assertThat(event.violations()).as("%s %s", event.type(), event.id()).isEmpty());
    expected.forEach((orderId, types) -> {
      List<Event> events = KafkaEvents.ofKey(read, orderId);
      assertThat(events).extracting(Event::type).as("order %s", orderId).containsExactlyElementsOf(types);
      assertThat(events).extracting(Event::sequence).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, types.size()).boxed().toList());
      assertThat(events).extracting(Event::topic).containsOnly("orders.events");
      assertThat(events).extracting(Event::partition).as("one order, one partition").hasSize(types.size()).containsOnly(events.get(0).partition());
      assertThat(events).allSatisfy(event -> {
        assertThat(event.headers()).containsEntry("ce_subject", orderId).containsEntry("ce_source", "/orders");
        assertThat(event.data().get("orderId").asString()).isEqualTo(orderId);
        assertThat(event.data().toString()).as("no name or address").doesNotContain("Ada", "Main St", "Springfield", "12345");
      });
    });
    assertThat(KafkaEvents.ofKey(read, outOfStock).get(1).data().get("reason").asString()).isEqualTo("OUT_OF_STOCK");
    assertThat(KafkaEvents.ofKey(read, undeliverable).get(1).data().get("cause").asString()).isEqualTo("ORDER_UNDONE");
    assertThat(KafkaEvents.ofKey(read, lost).get(4).data().get("cause").asString()).isEqualTo("SHIPMENT_LOST");

    List<Event> stock = KafkaEvents.ofKey(read, sku);
    assertThat(stock).extracting(Event::topic).containsOnly("inventory.events");
    assertThat(stock).extracting(Event::type).containsExactly("StockChanged", "StockChanged");
    assertThat(stock).extracting(Event::sequence).containsExactly(1L, 2L);
    assertThat(stock).extracting(e -> e.data().get("available").asInt()).containsExactly(10, 75);
    assertThat(stock.get(1).data().get("price").asString()).isEqualTo("2.50");
    assertThat(stock.get(1).data().get("changedBy").asString()).isEqualTo("operator");
  }

  private String placeAndWait(String orderJson, String status) {
    Api.Response placed = api.post("/orders", orderJson, "Prefer", "wait=30");
    assertThat(placed.body().get("status").asString()).as(placed.raw()).isEqualTo(status);
    return placed.body().get("orderId").asString();
  }

  private JsonNode awaitStatus(String orderId, String status) {
    return await("order " + orderId + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/orders/" + orderId).body(), o -> o.get("status").asString().equals(status));
  }

  private static String carrierEvent(String eventId, String type) {
    return """
        {"eventId":"%s","type":"%s","occurredAt":"2026-12-03T10:15:30Z"}""".formatted(eventId, type);
  }
}
