package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Delivery tracking (docs/API.md, Delivery): a confirmed order's shipment is its own workflow,
 * fed by the carrier's webhook until DELIVERED, or LOST and refunded once after the deadline.
 */
@Tag(EndToEndEnvironment.Engine.BOTH)
class DeliveryIT extends EndToEndTest {

  private final Api carrier = env.client("carrier");

  @Test
  void theCarrierMovesTheShipmentToDeliveredIdempotentlyAndContradictionsAre409() {
    JsonNode order = api.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(order.get("shipment").get("status").asString()).isEqualTo("BOOKED");
    String tracking = order.get("shipment").get("trackingNumber").asString();
    String orderId = order.get("orderId").asString();
    String events = "/shipments/" + tracking + "/events";
    awaitTracking(orderId);

    Api.Response dispatched = carrier.post(events, event("evt-a-" + orderId, "DISPATCHED"));
    assertThat(dispatched.status()).as(dispatched.raw()).isEqualTo(200);
    assertThat(dispatched.body().get("status").asString()).isEqualTo("DISPATCHED");
    Api.Response again = carrier.post(events, event("evt-a-" + orderId, "DISPATCHED"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).as("the same event: the same answer").isEqualTo(dispatched.body());

    assertThat(carrier.post(events, event("evt-x-" + orderId, "DISPATCHED")).status()).as("dispatched twice").isEqualTo(409);
    Api.Response delivered = carrier.post(events, event("evt-b-" + orderId, "DELIVERED"));
    assertThat(delivered.status()).isEqualTo(200);
    assertThat(delivered.body().get("status").asString()).isEqualTo("DELIVERED");
    assertThat(delivered.body().get("events")).hasSize(2);

    await("the shipment's workflow ends once delivered").atMost(Duration.ofSeconds(15))
        .until(() -> env.workflowClient.newUntypedWorkflowStub("shipment-" + orderId).describe().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    Api.Response afterEnd = carrier.post(events, event("evt-b-" + orderId, "DELIVERED"));
    assertThat(afterEnd.status()).as("a repeat after the end is still the same answer").isEqualTo(200);
    assertThat(afterEnd.body()).isEqualTo(delivered.body());
    Api.Response contradiction = carrier.post(events, event("evt-c-" + orderId, "DISPATCHED"));
    assertThat(contradiction.status()).isEqualTo(409);
    assertThat(contradiction.body().get("type").asString()).isEqualTo("/problems/shipment-event-contradicts");

    JsonNode shipment = api.get("/orders/" + orderId).body().get("shipment");
    assertThat(shipment.get("status").asString()).isEqualTo("DELIVERED");
    assertThat(shipment.get("events")).hasSize(2);
    assertThat(shipment.get("events").get(0).get("type").asString()).isEqualTo("DISPATCHED");
    assertThat(shipment.get("refund").isNull()).isTrue();

    assertThat(carrier.post("/shipments/TRK-NOPE/events", event("evt-z", "DISPATCHED")).status()).isEqualTo(404);
    assertThat(carrier.post(events, "{\"eventId\":\"e\",\"type\":\"RETURNED\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}")
        .status()).isEqualTo(400);
    assertThat(env.client("user_1").post(events, event("evt-d-" + orderId, "DELIVERED")).status()).isEqualTo(403);
  }

  @Test
  void aShipmentNotDeliveredInTimeIsLostAndTheCustomerRefundedOnce() {
    env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "15s"));
    try {
      int soldBefore = sold("product_2");
      JsonNode order = api.post("/orders", orderJson("user_2", "product_2", 1, ADDRESS_US), "Prefer", "wait=30").body();
      assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
      String orderId = order.get("orderId").asString();
      assertThat(api.balance("user_2")).isEqualByComparingTo("380.00");
      carrier.post("/shipments/" + order.get("shipment").get("trackingNumber").asString() + "/events",
          event("evt-l-" + orderId, "DISPATCHED"));

      JsonNode lost = await("the delivery deadline").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> api.get("/orders/" + orderId).body(), o -> o.get("shipment").get("status").asString().equals("LOST"));
      assertThat(lost.get("status").asString()).as("the order stays completed").isEqualTo("COMPLETED");
      JsonNode refund = lost.get("shipment").get("refund");
      assertThat(refund.get("amount").decimalValue()).isEqualByComparingTo("120.00");
      assertThat(refund.get("reason").asString()).isEqualTo("SHIPMENT_LOST");
      assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
      assertThat(sold("product_2")).as("stock sold stays sold").isEqualTo(soldBefore + 1);
      assertThat(carrier.post("/shipments/" + lost.get("shipment").get("trackingNumber").asString() + "/events",
          event("evt-m-" + orderId, "DELIVERED")).status()).as("delivered after it was declared lost").isEqualTo(409);
    } finally {
      env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "14d"));
    }
  }

  /**
   * Waits until the shipment's workflow runs. A waiting POST /orders answers once the order's row is
   * final, which its workflow writes before it starts the tracking: an event sent in between finds no
   * workflow and is refused (409, "takes no more events"), on the real server more often than not.
   */
  private static void awaitTracking(String orderId) {
    await("the shipment's tracking started").atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> env.workflowClient.newUntypedWorkflowStub("shipment-" + orderId).describe().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  private int sold(String sku) {
    return api.get("/inventory/" + sku).body().get("sold").asInt();
  }

  private static String event(String eventId, String type) {
    return """
        {"eventId":"%s","type":"%s","occurredAt":"2026-12-01T10:15:30Z"}""".formatted(eventId, type);
  }
}
