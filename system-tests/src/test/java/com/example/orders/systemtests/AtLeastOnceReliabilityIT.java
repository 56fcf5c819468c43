package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.devtools.faults.FaultInjector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Temporal delivers activities at least once. Here every step and every compensation fails right
 * after its transaction committed (the crash between commit and report), so each is retried after
 * it took effect: the retry must change nothing.
 */
class AtLeastOnceReliabilityIT extends EndToEndTest {

  private static final List<String> STEPS = List.of("reserveInventory", "chargePayment", "createShipment", "confirmOrder");
  /**
   * An order refused by the carrier: createShipment is refused on its first attempt, and its
   * compensation, cancelShipment, still runs as a fence against any other attempt of the booking.
   */
  private static final List<String> COMPENSATION_PATH = List.of("reserveInventory", "chargePayment",
      "markCompensating", "cancelShipment", "refundPayment", "releaseInventory", "markCompensated");

  @Test
  void everyStepRetriedAfterItsCommitTakesEffectOnce() throws SQLException {
    STEPS.forEach(step -> env.injectFault(step, FaultInjector.Phase.AFTER_COMMIT, 1));

    JsonNode order = api.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=60").body();

    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(env.faultsFired()).isEqualTo(STEPS.size());
    assertThat(api.available("product_1")).isEqualTo(98);
    assertThat(api.sold("product_1")).isEqualTo(2);
    assertThat(api.balance("user_1")).isEqualByComparingTo("900.00");
    assertThat(api.loyaltyPoints("user_1")).isEqualTo(100);
    String orderId = order.get("orderId").asString();
    assertThat(count("SELECT count(*) FROM payments WHERE order_id = ?", orderId)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM shipments WHERE order_id = ?", orderId)).isEqualTo(1);
    // each step ran twice (the faulted attempt and its retry); the ledger kept the first attempt
    assertThat(count("SELECT count(*) FROM order_steps WHERE order_id = ? AND attempt = 1", orderId)).isEqualTo(4);
    Reliability.report("after-commit fault on every step", 1, Map.of("COMPLETED", 1), STEPS.size(), 0);
  }

  @Test
  void everyCompensationRetriedAfterItsCommitTakesEffectOnce() throws SQLException {
    COMPENSATION_PATH.forEach(step -> env.injectFault(step, FaultInjector.Phase.AFTER_COMMIT, 1));
    String antarctica = """
        {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";

    JsonNode order = api.post("/orders", orderJson("user_2", "product_2", 2, antarctica), "Prefer", "wait=60").body();

    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    assertThat(order.get("failure").get("reason").asString()).isEqualTo("UNDELIVERABLE_ADDRESS");
    assertThat(env.faultsFired()).isEqualTo(COMPENSATION_PATH.size());
    assertThat(api.available("product_2")).isEqualTo(50);
    assertThat(api.reserved("product_2")).isZero();
    assertThat(api.balance("user_2")).isEqualByComparingTo("500.00");
    String orderId = order.get("orderId").asString();
    assertThat(count("SELECT count(*) FROM payments WHERE order_id = ? AND status = 'REFUNDED'", orderId)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM order_steps WHERE order_id = ? AND step IN ('refundPayment', 'releaseInventory') AND took_effect", orderId))
        .isEqualTo(2);
    Reliability.report("after-commit fault on every compensation", 1, Map.of("FAILED/UNDELIVERABLE_ADDRESS", 1),
        COMPENSATION_PATH.size(), 0);
  }

  @Test
  void transientFailuresBeforeEveryStepAreRetriedToCompletion() {
    STEPS.forEach(step -> env.injectFault(step, FaultInjector.Phase.BEFORE, 2));

    JsonNode order = api.post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US), "Prefer", "wait=60").body();

    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(env.faultsFired()).isEqualTo(2 * STEPS.size());
    // the attempt that succeeded: 3 (two faults, then success); fewer if its workflow task was retried
    // under load, since a retried task runs the local step again from attempt 1 (the faults are spent)
    order.get("steps").forEach(step -> assertThat(step.get("attempts").asInt()).isBetween(1, 3));
    assertThat(api.balance("user_1")).isEqualByComparingTo("700.00");
    Reliability.report("two transient faults before every step", 1, Map.of("COMPLETED", 1), 2 * STEPS.size(), 0);
  }

  private static int count(String sql, String orderId) throws SQLException {
    try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
        var statement = db.prepareStatement(sql)) {
      statement.setString(1, orderId);
      var rs = statement.executeQuery();
      rs.next();
      return rs.getInt(1);
    }
  }
}
