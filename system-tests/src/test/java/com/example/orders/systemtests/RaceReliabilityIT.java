package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Many buyers at once, through the whole system: no oversell, no overdraft, no deadlock. */
class RaceReliabilityIT extends EndToEndTest {

  @RepeatedTest(3)
  void twoHundredBuyersForTenUnitsSellExactlyTen(RepetitionInfo round) throws Exception {
    String sku = "race_" + round.getCurrentRepetition();
    assertThat(api.put("/inventory/" + sku, "{\"name\":\"Scarce\",\"price\":10.00,\"available\":10}").status()).isEqualTo(201);

    List<Api.Response> responses = Reliability.submitConcurrently(api, 200,
        i -> orderJson("user_1", sku, 1, ADDRESS_US), "Prefer", "wait=60");
    List<JsonNode> orders = Reliability.awaitTerminal(api, Reliability.orderIds(responses), Duration.ofMinutes(2));

    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 10, "FAILED/OUT_OF_STOCK", 190));
    JsonNode product = api.get("/inventory/" + sku).body();
    assertThat(product.get("available").asInt()).isZero();
    assertThat(product.get("reserved").asInt()).isZero();
    assertThat(product.get("sold").asInt()).isEqualTo(10);
    assertThat(api.balance("user_1")).isEqualByComparingTo("900.00");
    Reliability.report("stock race round " + round.getCurrentRepetition() + " (200 buyers, 10 units)", 200, outcomes, 0, 0);
  }

  @Test
  void overlappingMultiItemOrdersInOppositeLineOrderNeverDeadlock() throws Exception {
    long deadlocksBefore = deadlocks();
    api.put("/inventory/pair_a", "{\"name\":\"Pair A\",\"price\":1.00,\"available\":1000}");
    api.put("/inventory/pair_b", "{\"name\":\"Pair B\",\"price\":2.00,\"available\":1000}");
    api.put("/customers/pair_buyer", "{\"name\":\"Pair buyer\",\"balance\":10000.00}");
    List<Api.Response> responses = Reliability.submitConcurrently(api, 120, i -> {
      String a = "{\"sku\":\"pair_a\",\"quantity\":1}";
      String b = "{\"sku\":\"pair_b\",\"quantity\":2}";
      return "{\"customerId\":\"pair_buyer\",\"items\":[" + (i % 2 == 0 ? a + "," + b : b + "," + a)
          + "],\"shippingAddress\":" + ADDRESS_US + "}";
    }, "Prefer", "wait=60");
    List<JsonNode> orders = Reliability.awaitTerminal(api, Reliability.orderIds(responses), Duration.ofMinutes(2));

    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactly(Map.entry("COMPLETED", 120));
    assertThat(api.sold("pair_a")).isEqualTo(120);
    assertThat(api.sold("pair_b")).isEqualTo(240);
    assertThat(api.balance("pair_buyer")).isEqualByComparingTo("9400.00");
    assertThat(deadlocks()).as("deadlocks PostgreSQL detected").isEqualTo(deadlocksBefore);
    Reliability.report("opposite line order (120 two-SKU orders)", 120, outcomes, 0, 0);
  }

  @Test
  void aCustomerSpendingConcurrentlyNeverOverdraws() throws Exception {
    api.put("/customers/spender", "{\"name\":\"Spender\",\"balance\":500.00}");
    List<Api.Response> responses = Reliability.submitConcurrently(api, 30,
        i -> orderJson("spender", "product_1", 1, ADDRESS_US), "Prefer", "wait=60");
    List<JsonNode> orders = Reliability.awaitTerminal(api, Reliability.orderIds(responses), Duration.ofMinutes(2));

    Map<String, Integer> outcomes = Reliability.countByOutcome(orders);
    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 10, "FAILED/INSUFFICIENT_FUNDS", 20));
    assertThat(api.balance("spender")).isEqualByComparingTo("0.00");
    assertThat(api.sold("product_1")).isEqualTo(10);
    Reliability.report("money race (30 x 50.00 on a 500.00 balance)", 30, outcomes, 0, 0);
  }

  private static long deadlocks() throws SQLException {
    EndToEndEnvironment.sleep(1500); // backends flush their statistics at most once a second
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "")) {
      var rs = db.createStatement().executeQuery(
          "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
      rs.next();
      return rs.getLong(1);
    }
  }
}
