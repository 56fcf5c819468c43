package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, through real HTTP into the real api process: always the documented 4xx as
 * application/problem+json, never a 5xx, and nothing written.
 */
class HostileInputIT extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{", "[]", "null", "\"text\"", "{\"customerId\":",
      "{\"customerId\":\"user_1\",\"items\":\"many\",\"shippingAddress\":{}}",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":\"two\"}]}",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":2.5}]}"})
  void malformedOrWronglyTypedBodiesAre400(String body) {
    assertProblem(api.post("/orders", body), 400);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE})
  void quantitiesOutOfRangeAre400(int quantity) {
    Api.Response response = api.post("/orders", orderJson("user_1", "product_1", quantity, ADDRESS_US));
    assertProblem(response, 400);
    assertThat(response.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/items/0/quantity");
  }

  @Test
  void missingFieldsAre400WithEveryFieldNamed() {
    Api.Response response = api.post("/orders", "{}");
    assertProblem(response, 400);
    assertThat(response.body().get("errors").size()).isEqualTo(3);
  }

  @Test
  void fiftyOneItemsAre400() {
    String items = IntStream.range(0, 51).mapToObj(i -> "{\"sku\":\"product_1\",\"quantity\":1}")
        .collect(Collectors.joining(","));
    assertProblem(api.post("/orders", "{\"customerId\":\"user_1\",\"items\":[" + items + "],\"shippingAddress\":"
        + ADDRESS_US + "}"), 400);
  }

  @Test
  void mergedQuantityOver1000Is400() {
    assertProblem(api.post("/orders", "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":600},"
        + "{\"sku\":\"product_1\",\"quantity\":600}],\"shippingAddress\":" + ADDRESS_US + "}"), 400);
  }

  @Test
  void unknownCustomerOrSkuAre422() {
    assertProblem(api.post("/orders", orderJson("nobody", "product_1", 1, ADDRESS_US)), 422);
    Api.Response sku = api.post("/orders", orderJson("user_1", "no_such_sku", 1, ADDRESS_US));
    assertProblem(sku, 422);
    assertThat(sku.body().get("errors").get(0).get("detail").asString()).contains("no_such_sku");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user_1' OR '1'='1", "user_1; DROP TABLE orders;--", "\\u0000", "日本", "user 1", ""})
  void hostileCustomerIdsAre400(String customerId) {
    assertProblem(api.post("/orders", orderJson(customerId, "product_1", 1, ADDRESS_US)), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\u0000", "\\u0007bell", "\\ud800"})
  void controlCharactersAndLoneSurrogatesInTheAddressAre400(String name) {
    String address = ADDRESS_US.replace("Ada Lovelace", name);
    assertProblem(api.post("/orders", orderJson("user_1", "product_1", 1, address)), 400);
  }

  @Test
  void aFractionalQuantityIs400NamingTheFieldAndNothingIsCharged() {
    Api.Response response = api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US)
        .replace("\"quantity\":1", "\"quantity\":1.9"), "Prefer", "wait=10");
    assertProblem(response, 400);
    assertThat(response.body().get("errors").get(0).get("pointer").asString()).isEqualTo("/items/0/quantity");
    assertThat(api.balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(api.available("product_1")).isEqualTo(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"customerId\":\"user_1\",\"total\":0.01,\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s}|/total",
      "{\"customerId\":\"user_1\",\"status\":\"COMPLETED\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s}|/status",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1,\"unitPrice\":0.01}],\"shippingAddress\":%s}|/items/0/unitPrice",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":\"1\"}],\"shippingAddress\":%s}|/items/0/quantity",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s,\"x\":1}|/x"})
  void unknownFieldsAndWrongTypesAre400NamingTheField(String bodyAndPointer) {
    String[] parts = bodyAndPointer.split("\\|");
    Api.Response response = api.post("/orders", parts[0].formatted(ADDRESS_US));
    assertProblem(response, 400);
    assertThat(response.body().get("errors").get(0).get("pointer").asString()).isEqualTo(parts[1]);
  }

  @Test
  void everyRequestBodyIsStrict() {
    assertProblem(api.put("/inventory/product_1", "{\"available\":5,\"reserved\":0}"), 400);
    assertProblem(api.put("/inventory/product_1", "{\"available\":5.5}"), 400);
    assertProblem(api.put("/customers/user_1", "{\"balance\":5,\"loyaltyPoints\":100}"), 400);
    assertProblem(api.put("/customers/user_1", "{\"balance\":\"5\"}"), 400);
    assertProblem(api.post("/orders/does-not-exist/cancel", "{\"reason\":\"changed my mind\",\"force\":true}"), 400);
    assertThat(api.available("product_1")).isEqualTo(100);
    assertThat(api.balance("user_1")).isEqualByComparingTo("1000.00");
  }

  @Test
  void unicodeNamesAreWelcome() {
    String address = ADDRESS_US.replace("Ada Lovelace", "Zoë Łukasiewicz 李小龍 \uD83D\uDE80");
    Api.Response response = api.post("/orders", orderJson("user_1", "product_1", 1, address), "Prefer", "wait=30");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().get("shippingAddress").get("name").asString()).isEqualTo("Zoë Łukasiewicz 李小龍 \uD83D\uDE80");
  }

  @ParameterizedTest
  @ValueSource(strings = {"XX", "us", "USA", "U1"})
  void invalidCountriesAre400(String country) {
    assertProblem(api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US.replace("\"US\"", "\"" + country + "\""))), 400);
  }

  @Test
  void wrongContentTypeIs415() {
    assertProblem(api.postRaw("/orders", "text/plain", orderJson("user_1", "product_1", 1, ADDRESS_US)), 415);
    assertProblem(api.postRaw("/orders", null, orderJson("user_1", "product_1", 1, ADDRESS_US)), 415);
  }

  @Test
  void oversizedBodiesAre413() {
    String huge = "{\"customerId\":\"user_1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
    assertProblem(api.post("/orders", huge), 413);
  }

  @Test
  void badIdempotencyKeysAre400() {
    assertProblem(api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Idempotency-Key", "x".repeat(256)), 400);
    assertProblem(api.post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US), "Idempotency-Key", "has space"), 400);
  }

  @Test
  void unknownOrdersAndBadQueriesAreProblems() {
    assertProblem(api.get("/orders/does-not-exist"), 404);
    assertProblem(api.get("/orders/' OR 1=1 --".replace(" ", "%20").replace("'", "%27")), 404);
    assertProblem(api.post("/orders/does-not-exist/cancel", ""), 404);
    assertProblem(api.get("/orders?limit=0"), 400);
    assertProblem(api.get("/orders?limit=201"), 400);
    assertProblem(api.get("/orders?limit=abc"), 400);
    assertProblem(api.get("/orders?status=LOST"), 400);
    assertProblem(api.get("/orders?cursor=%25%25%25"), 400);
    assertProblem(api.get("/orders?cursor=bm90LWEtY3Vyc29y"), 400);
    assertProblem(api.get("/inventory/nope"), 404);
    assertProblem(api.get("/customers/nope"), 404);
    assertProblem(api.put("/inventory/new_sku", "{\"name\":\"Only a name\"}"), 400);
    assertProblem(api.put("/inventory/product_1", "{\"price\":-1}"), 400);
    assertProblem(api.put("/customers/user_1", "{\"balance\":-5}"), 400);
  }

  /** Asserts the status and the problem+json shape, and that no order row was written. */
  private void assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.raw()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body().get("type").asString()).startsWith("/problems/");
    assertThat(response.body().get("title").asString()).isNotBlank();
    assertThat(response.body().get("status").asInt()).isEqualTo(status);
    assertThat(response.body().has("detail")).isTrue();
    assertThat(response.raw()).doesNotContain("Exception").doesNotContain("SELECT").doesNotContain("at com.");
    assertThat(api.get("/orders").body().get("orders").size()).isZero();
  }
}
