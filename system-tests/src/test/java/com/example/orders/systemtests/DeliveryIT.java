package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.awaitility.Awaitility.await;

import com.example.orders.workflows.shipping.ShipmentWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Delivery tracking (docs/API.md, Delivery): a confirmed order's shipment is its own workflow,
 * started by the carrier's first event (or the deadline sweep when none comes) and fed by the
 * carrier's webhook until DELIVERED, or LOST and refunded once after the deadline.
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
    assertThrows(WorkflowNotFoundException.class, () -> shipmentWorkflow(orderId).describe(),
        "the order completed without starting the tracking: the carrier's first event starts it");

    Api.Response dispatched = carrier.post(events, event("evt-a-" + orderId, "DISPATCHED"));
    assertThat(dispatched.status()).as(dispatched.raw()).isEqualTo(200);
    assertThat(shipmentWorkflow(orderId).describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
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
        .until(() -> shipmentWorkflow(orderId).describe().getStatus()
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
  void anEventForAShipmentWhoseTrackingWasTerminatedIsRefusedNotAnError() {
    JsonNode order = api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Prefer", "wait=30").body();
    String orderId = order.get("orderId").asString();
    String events = "/shipments/" + order.get("shipment").get("trackingNumber").asString() + "/events";
    assertThat(carrier.post(events, event("evt-t-" + orderId, "DISPATCHED")).status()).isEqualTo(200);
    shipmentWorkflow(orderId).terminate("an operator ends the tracking by hand");

    Api.Response refused = carrier.post(events, event("evt-u-" + orderId, "DELIVERED"));
    assertThat(refused.status()).as(refused.raw()).isEqualTo(409); // its workflow may not be started again
    assertThat(refused.body().get("detail").asString()).isEqualTo("Shipment is DISPATCHED: it takes no more events");
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

  @Test
  void aParcelNeverReportedIsFoundByTheDeadlineSweepAndALateFirstEventIsRefused() {
    env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "3s"));
    try {
      JsonNode silent = api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Prefer", "wait=30").body();
      JsonNode late = api.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30").body();
      assertThat(silent.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(late.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(api.balance("user_1")).isEqualByComparingTo("850.00");
      String silentId = silent.get("orderId").asString();
      String lateId = late.get("orderId").asString();
      await("both deadlines passed").pollDelay(Duration.ofSeconds(4)).until(() -> true);

      Api.Response refused = carrier.post("/shipments/" + late.get("shipment").get("trackingNumber").asString() + "/events",
          event("evt-late-" + lateId, "DELIVERED"));
      assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
      assertThat(refused.body().get("detail").asString()).contains("not delivered by its deadline");
      assertThat(awaitShipment(lateId, "LOST").get("refund").get("amount").decimalValue())
          .as("the late event started the tracking, which declared it lost").isEqualByComparingTo("100.00");

      assertThat(api.get("/orders/" + silentId).body().get("shipment").get("status").asString())
          .as("nothing reported, not yet swept").isEqualTo("BOOKED");
      env.triggerShipmentDeadlineSweep(); // what the schedule does every 5 min by default
      assertThat(awaitShipment(silentId, "LOST").get("refund").get("amount").decimalValue()).isEqualByComparingTo("50.00");
      assertThat(api.balance("user_1")).as("both refunded once").isEqualByComparingTo("1000.00");
      assertThat(shipmentWorkflow(silentId).describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    } finally {
      env.restartApi(Map.of("ORDERS_DELIVERY_DEADLINE", "14d"));
    }
  }

  private JsonNode awaitShipment(String orderId, String status) {
    return await("shipment of " + orderId + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> api.get("/orders/" + orderId).body().get("shipment"), s -> s.get("status").asString().equals(status));
  }

  private static WorkflowStub shipmentWorkflow(String orderId) {
    return env.workflowClient.newUntypedWorkflowStub(ShipmentWorkflow.workflowId(orderId));
  }

  private int sold(String sku) {
    return api.get("/inventory/" + sku).body().get("sold").asInt();
  }

  private static String event(String eventId, String type) {
    return """
        {"eventId":"%s","type":"%s","occurredAt":"2026-12-01T10:15:30Z"}""".formatted(eventId, type);
  }
}
