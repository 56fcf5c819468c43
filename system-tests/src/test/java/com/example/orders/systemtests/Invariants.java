package com.example.orders.systemtests;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The bookkeeping that must hold once every order is terminal: no unit of stock and no cent
 * created or lost, and every idempotency record backed by its effect.
 */
final class Invariants {

  private Invariants() {}

  static void assertHold(Api api, String jdbcUrl) {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      awaitAllTerminal(db);
      // Stock: what is reserved is exactly what in-flight orders hold (none now); sold matches confirmed lines.
      assertThat(single(db, "SELECT coalesce(sum(reserved), 0) FROM products")).isZero();
      assertThat(single(db, """
          SELECT count(*) FROM products p WHERE p.sold <> coalesce((SELECT sum(i.quantity) FROM order_items i
            JOIN orders o USING (order_id) WHERE i.sku = p.sku AND o.status = 'COMPLETED'), 0)""")).isZero();
      // Money: every COMPLETED order has a captured payment (refunded only if its shipment was lost);
      // every undone one none left captured.
      assertThat(single(db, """
          SELECT count(*) FROM orders o LEFT JOIN payments p USING (order_id) LEFT JOIN shipments h USING (order_id)
          WHERE (o.status = 'COMPLETED' AND (p.status IS NULL OR p.amount <> o.total
                 OR p.status <> (CASE WHEN h.status = 'LOST' THEN 'REFUNDED' ELSE 'CAPTURED' END)))
             OR (o.status IN ('FAILED', 'CANCELLED') AND p.status = 'CAPTURED')""")).isZero();
      // Each idempotency record that says it took effect has its effect.
      assertThat(single(db, """
          SELECT count(*) FROM order_steps s WHERE s.took_effect AND (
               (s.step = 'chargePayment' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = s.order_id))
            OR (s.step = 'createShipment' AND NOT EXISTS (SELECT 1 FROM shipments h WHERE h.order_id = s.order_id))
            OR (s.step = 'refundPayment' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = s.order_id AND p.status = 'REFUNDED'))
            OR (s.step = 'cancelShipment' AND NOT EXISTS (SELECT 1 FROM shipments h WHERE h.order_id = s.order_id AND h.status = 'CANCELLED'))
            OR (s.step = 'refundLostShipment' AND NOT EXISTS (SELECT 1 FROM payments p JOIN shipments h USING (order_id)
                WHERE p.order_id = s.order_id AND p.status = 'REFUNDED' AND h.status = 'LOST')))""")).isZero();
      assertThat(single(db, "SELECT count(*) FROM products WHERE available < 0 OR reserved < 0 OR sold < 0")).isZero();
      // Conservation against the demo data every test starts from (docs/API.md).
      assertThat(single(db, "SELECT available + reserved + sold FROM products WHERE sku = 'product_1'")).isEqualTo(100);
      assertThat(single(db, "SELECT available + reserved + sold FROM products WHERE sku = 'product_2'")).isEqualTo(50);
      assertThat(single(db, "SELECT available + reserved + sold FROM products WHERE sku = 'product_3'")).isEqualTo(25);
      assertThat(decimal(db, """
          SELECT (SELECT sum(balance) FROM customers WHERE customer_id IN ('user_1', 'user_2', 'user_3'))
               + (SELECT coalesce(sum(amount), 0) FROM payments
                  WHERE status = 'CAPTURED' AND customer_id IN ('user_1', 'user_2', 'user_3'))""")).isEqualByComparingTo("1700.00");
      assertThat(single(db, "SELECT count(*) FROM customers WHERE balance < 0")).isZero();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitAllTerminal(Connection db) {
    await("every order terminal").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
        .until(() -> single(db, "SELECT count(*) FROM orders WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')") == 0);
  }

  private static java.math.BigDecimal decimal(Connection db, String sql) throws SQLException {
    try (ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getBigDecimal(1);
    }
  }

  private static long single(Connection db, String sql) throws SQLException {
    try (ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
