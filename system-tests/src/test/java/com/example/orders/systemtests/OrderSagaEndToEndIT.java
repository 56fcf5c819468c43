package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * HTTP -> api process -> Temporal -> workers process -> PostgreSQL, for the demo cases of docs/API.md
 * and the promises around them (idempotency, cancel, races), with stock and money checked after every
 * test; on both engines (the dev server, then the real server).
 */
@Tag(EndToEndEnvironment.Engine.BOTH)
class OrderSagaEndToEndIT extends EndToEndTest {

  @Test
  void user1Buys2OfProduct1AndTheOrderCompletes() {
    Api.Response response = api.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30");

    assertThat(response.status()).isEqualTo(200);
    JsonNode order = response.body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(order.get("total").decimalValue()).isEqualByComparingTo("100.00");
    assertThat(order.get("failure").isNull()).isTrue();
    assertThat(stepStatuses(order)).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
    assertThat(order.get("shipment").get("trackingNumber").asString()).startsWith("TRK-");
    assertThat(response.header("Location")).isEqualTo("/orders/" + order.get("orderId").asString());
    assertThat(order.get("links").get("temporalUi").asString())
        .isEqualTo(env.temporalUiUrl + "/namespaces/default/workflows/order-" + order.get("orderId").asString());

    assertThat(api.available("product_1")).isEqualTo(98);
    assertThat(api.reserved("product_1")).isZero();
    assertThat(api.sold("product_1")).isEqualTo(2);
    assertThat(api.balance("user_1")).isEqualByComparingTo("900.00");
    assertThat(api.loyaltyPoints("user_1")).isEqualTo(100);
    assertWorkflow(order, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, "COMPLETED");
  }

  @Test
  void user1Buys200OfProduct1AndNothingChanges() {
    JsonNode order = api.post("/orders", orderJson("user_1", "product_1", 200, ADDRESS_US), "Prefer", "wait=30").body();

    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("OUT_OF_STOCK");
    assertThat(order.get("failure").get("step").asString()).isEqualTo("reserveInventory");
    assertThat(stepStatuses(order)).containsExactly("FAILED", "SKIPPED", "SKIPPED", "SKIPPED");
    assertThat(api.available("product_1")).isEqualTo(100);
    assertThat(api.balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(api.loyaltyPoints("user_1")).isZero();
    assertWorkflow(order, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, "FAILED");
  }

  @Test
  void user3CannotPay250AndTheStockIsReleased() {
    JsonNode order = api.post("/orders", orderJson("user_3", "product_1", 5, ADDRESS_US), "Prefer", "wait=30").body();

    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(stepStatuses(order)).containsExactly("COMPENSATED", "FAILED", "SKIPPED", "SKIPPED");
    assertThat(api.available("product_1")).isEqualTo(100);
    assertThat(api.reserved("product_1")).isZero();
    assertThat(api.balance("user_3")).isEqualByComparingTo("200.00");
    assertThat(api.loyaltyPoints("user_3")).isZero();
  }

  @Test
  void user2ShipsToAntarcticaAndIsRefundedAndReleased() {
    String antarctica = """
        {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";
    JsonNode order = api.post("/orders", orderJson("user_2", "product_2", 1, antarctica), "Prefer", "wait=30").body();

    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("UNDELIVERABLE_ADDRESS");
    assertThat(stepStatuses(order)).containsExactly("COMPENSATED", "COMPENSATED", "FAILED", "SKIPPED");
    assertThat(api.available("product_2")).isEqualTo(50);
    assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
    assertThat(api.loyaltyPoints("user_2")).isZero();
    assertWorkflow(order, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, "FAILED");
  }

  @Test
  void repeatedSubmissionsWithOneIdempotencyKeyMakeOneOrder() throws Exception {
    String body = orderJson("user_1", "product_2", 1, ADDRESS_US);
    String key = "demo-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<Api.Response>> responses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      responses.add(pool.submit(() -> api.post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30")));
    }
    Set<String> orderIds = new HashSet<>();
    for (Future<Api.Response> response : responses) {
      Api.Response r = response.get();
      assertThat(r.status()).isIn(200, 202);
      orderIds.add(r.body().get("orderId").asString());
    }
    pool.shutdown();
    assertThat(orderIds).hasSize(1);

    Api.Response again = api.post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30");
    assertThat(again.body().get("orderId").asString()).isEqualTo(orderIds.iterator().next());
    assertThat(again.body().get("status").asString()).isEqualTo("COMPLETED");
    assertThat(api.sold("product_2")).isEqualTo(1);
    assertThat(api.balance("user_1")).isEqualByComparingTo("880.00");
    assertThat(api.get("/orders?customerId=user_1").body().get("orders").size()).isEqualTo(1);

    Api.Response otherBody = api.post("/orders", orderJson("user_1", "product_2", 2, ADDRESS_US), "Idempotency-Key", key);
    assertThat(otherBody.status()).isEqualTo(422);
    assertThat(otherBody.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void cancellingBeforeConfirmationUndoesEverythingAndAfterItIsRefused() throws Exception {
    String orderId;
    // Hold product_3's row lock so reserveInventory keeps timing out and retrying: the order waits.
    try (Connection lock = holdProductLock("product_3")) {
      Api.Response accepted = api.post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US));
      assertThat(accepted.status()).isEqualTo(202);
      orderId = accepted.body().get("orderId").asString();

      Api.Response cancelled = api.post("/orders/" + orderId + "/cancel", "{\"reason\":\"changed my mind\"}",
          "Prefer", "wait=30");
      assertThat(cancelled.status()).isEqualTo(200);
      assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
      assertThat(cancelled.body().get("failure").get("message").asString()).isEqualTo("changed my mind");
      lock.rollback();
    }
    assertThat(api.post("/orders/" + orderId + "/cancel", "").status()).isEqualTo(200);
    assertThat(api.available("product_3")).isEqualTo(25);
    assertThat(api.balance("user_1")).isEqualByComparingTo("1000.00");
    assertWorkflow(api.get("/orders/" + orderId).body(), WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
        "CANCELLED");

    JsonNode completed = api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Prefer", "wait=30").body();
    Api.Response refused = api.post("/orders/" + completed.get("orderId").asString() + "/cancel", "");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("type").asString()).isEqualTo("/problems/order-not-cancellable");
  }

  @Test
  void thirtyBuyersForFiveUnitsSellExactlyFive() throws Exception {
    assertThat(api.put("/inventory/hot_item", "{\"name\":\"Hot item\",\"price\":10.00,\"available\":5}").status())
        .isEqualTo(201);
    ExecutorService pool = Executors.newFixedThreadPool(30);
    List<Future<Api.Response>> responses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      responses.add(pool.submit(() -> api.post("/orders", orderJson("user_1", "hot_item", 1, ADDRESS_US),
          "Prefer", "wait=60")));
    }
    int completed = 0;
    int outOfStock = 0;
    for (Future<Api.Response> response : responses) {
      JsonNode order = response.get().body();
      switch (order.get("status").asString()) {
        case "COMPLETED" -> completed++;
        case "FAILED" -> {
          assertThat(order.get("failure").get("reason").asString()).isEqualTo("OUT_OF_STOCK");
          outOfStock++;
        }
        default -> throw new AssertionError("not terminal: " + order);
      }
    }
    pool.shutdown();
    assertThat(completed).isEqualTo(5);
    assertThat(outOfStock).isEqualTo(25);
    assertThat(api.available("hot_item")).isZero();
    assertThat(api.sold("hot_item")).isEqualTo(5);
    assertThat(api.balance("user_1")).isEqualByComparingTo(new BigDecimal("950.00"));
  }

  private static List<String> stepStatuses(JsonNode order) {
    List<String> statuses = new ArrayList<>();
    order.get("steps").forEach(step -> statuses.add(step.get("status").asString()));
    return statuses;
  }

  /**
   * The order's workflow has ended as {@code status}: awaited, since a waiting POST /orders answers
   * once the order's row is final, which the workflow writes just before it closes.
   */
  private static void assertWorkflow(JsonNode order, WorkflowExecutionStatus status, String orderStatus) {
    var stub = env.workflowClient.newUntypedWorkflowStub(order.get("workflowId").asString());
    var description = await("the workflow " + status).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100)).until(stub::describe, d -> d.getStatus() == status);
    assertThat(description.getTypedSearchAttributes().get(OrderContract.ORDER_STATUS)).isEqualTo(orderStatus);
    assertThat(description.getTypedSearchAttributes().get(OrderContract.CUSTOMER_ID))
        .isEqualTo(order.get("customerId").asString());
  }
}
