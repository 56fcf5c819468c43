package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Operator review of large orders (docs/API.md, POST /orders/{orderId}/review), end to end: the demo
 * case user_1 buys 2 x product_3 (600.00, at or above the 500.00 threshold) and waits in
 * AWAITING_REVIEW with its stock held and no money taken, findable by the OrderStatus search
 * attribute; then approved, rejected, cancelled by its customer, or left to expire (the tests run
 * with a 20 s deadline).
 */
@Tag(EndToEndEnvironment.Engine.BOTH)
class ReviewIT extends EndToEndTest {

  private static final String LARGE_ORDER = orderJson("user_1", "product_3", 2, ADDRESS_US);

  @Test
  void anApprovedOrderCompletesAndShowsWhoApprovedItAndWhy() {
    String orderId = placeAndAwaitReview();
    JsonNode waiting = api.get("/orders/" + orderId).body();
    assertThat(waiting.get("review").get("outcome").isNull()).isTrue();
    assertThat(waiting.get("review").get("deadline").asString()).isNotBlank();
    assertThat(api.reserved("product_3")).isEqualTo(2);
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00"); // no money taken while it waits
    await("the waiting order in Temporal's visibility").atMost(Duration.ofSeconds(10))
        .until(() -> waitingInVisibility(orderId));

    // only operators decide
    assertThat(env.client("user_1").post("/orders/" + orderId + "/review", "{\"decision\":\"APPROVE\"}").status())
        .isEqualTo(403);
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"MAYBE\"}").status()).isEqualTo(400);

    Api.Response approved = api.post("/orders/" + orderId + "/review",
        "{\"decision\":\"APPROVE\",\"note\":\"called the customer: genuine\"}");
    assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
    JsonNode review = approved.body().get("review");
    assertThat(review.get("outcome").asString()).isEqualTo("APPROVED");
    assertThat(review.get("decidedBy").asString()).isEqualTo("operator");
    assertThat(review.get("note").asString()).isEqualTo("called the customer: genuine");
    assertThat(review.get("decidedAt").asString()).isNotBlank();

    assertThat(awaitTerminal(orderId).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(balance("user_1")).isEqualByComparingTo("400.00");
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"REJECT\"}").status())
        .as("decided already").isEqualTo(409);
    // the customer sees the outcome, not who decided or the note
    JsonNode asCustomer = env.client("user_1").get("/orders/" + orderId).body().get("review");
    assertThat(asCustomer.get("outcome").asString()).isEqualTo("APPROVED");
    assertThat(asCustomer.get("decidedBy").isNull()).isTrue();
    assertThat(asCustomer.get("note").isNull()).isTrue();
  }

  @Test
  void aRejectedOrderIsUndoneAndItsStockReleased() {
    String orderId = placeAndAwaitReview();

    Api.Response rejected = api.post("/orders/" + orderId + "/review", "{\"decision\":\"REJECT\",\"note\":\"fraud check\"}");
    assertThat(rejected.status()).isEqualTo(200);

    JsonNode order = awaitTerminal(orderId);
    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("REVIEW_REJECTED");
    assertThat(order.get("review").get("outcome").asString()).isEqualTo("REJECTED");
    assertThat(env.client("user_1").get("/orders/" + orderId).body().get("failure").get("message").asString())
        .as("the customer sees neither the operator nor the note").isEqualTo("Rejected in review");
    assertThat(api.reserved("product_3")).isZero();
    assertThat(api.available("product_3")).isEqualTo(25);
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
  }

  @Test
  void theCustomerMayCancelWhileItWaits() {
    String orderId = placeAndAwaitReview();

    assertThat(env.client("user_1").post("/orders/" + orderId + "/cancel", "{\"reason\":\"found it cheaper\"}").status())
        .isIn(200, 202);

    JsonNode order = awaitTerminal(orderId);
    assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(order.get("review").get("outcome").asString()).as("closed, not left waiting").isEqualTo("CANCELLED");
    assertThat(api.reserved("product_3")).isZero();
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"APPROVE\"}").status()).isEqualTo(409);
  }

  @Test
  void withoutADecisionTheOrderExpiresAndIsUndone() {
    String orderId = placeAndAwaitReview();

    JsonNode order = await("the review deadline").atMost(EndToEndEnvironment.REVIEW_DEADLINE.plusSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> api.get("/orders/" + orderId).body(), o -> o.get("status").asString().equals("FAILED"));
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("REVIEW_EXPIRED");
    assertThat(order.get("review").get("outcome").asString()).isEqualTo("EXPIRED");
    assertThat(api.reserved("product_3")).isZero();
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
  }

  @Test
  void anOrderBelowTheThresholdNeverWaitsAndCannotBeReviewed() {
    JsonNode small = api.post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US), "Prefer", "wait=30").body();
    assertThat(small.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(small.get("review").isNull()).isTrue();
    Api.Response refused = api.post("/orders/" + small.get("orderId").asString() + "/review", "{\"decision\":\"APPROVE\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("type").asString()).isEqualTo("/problems/order-not-awaiting-review");
    assertThat(api.post("/orders/no-such-order/review", "{\"decision\":\"APPROVE\"}").status()).isEqualTo(404);
  }

  private String placeAndAwaitReview() {
    return placeAndAwaitReview(LARGE_ORDER);
  }

  private JsonNode awaitTerminal(String orderId) {
    return await("order " + orderId + " final").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> api.get("/orders/" + orderId).body(),
            o -> o.get("status").asString().matches("COMPLETED|FAILED|CANCELLED"));
  }

  private BigDecimal balance(String customerId) {
    return api.get("/customers/" + customerId).body().get("balance").decimalValue();
  }

  private boolean waitingInVisibility(String orderId) {
    return env.workflowClient.getWorkflowServiceStubs().blockingStub().listWorkflowExecutions(
            ListWorkflowExecutionsRequest.newBuilder().setNamespace("default")
                .setQuery("OrderStatus = 'AWAITING_REVIEW' AND WorkflowId = 'order-" + orderId + "'").build())
        .getExecutionsCount() == 1;
  }
}
