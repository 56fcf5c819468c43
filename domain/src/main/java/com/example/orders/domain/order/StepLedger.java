package com.example.orders.domain.order;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The idempotency records: one row per (order, step), written in the transaction that made the
 * step's effect. Callers hold {@link #lockOrder} first, so checking and recording cannot race.
 */
@Repository
public class StepLedger {

  /** What a previous invocation of a step left behind. */
  public record StepRecord(String step, int attempt, boolean tookEffect) {}

  private final JdbcClient jdbc;

  public StepLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Serialises every activity transaction of one order until commit. An advisory lock rather than
   * the order row's lock, because a compensation can run before the order row exists. Taken before
   * any row lock (then products by SKU, then customers), so lock order is global.
   */
  public void lockOrder(String orderId) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:orderId, 0))")
        .param("orderId", orderId)
        .query()
        .singleRow();
  }

  public Optional<StepRecord> find(String orderId, String step) {
    return jdbc.sql("SELECT step, attempt, took_effect FROM order_steps WHERE order_id = :orderId AND step = :step")
        .param("orderId", orderId)
        .param("step", step)
        .query((rs, n) -> new StepRecord(rs.getString("step"), rs.getInt("attempt"), rs.getBoolean("took_effect")))
        .optional();
  }

  public boolean exists(String orderId, String step) {
    return find(orderId, step).isPresent();
  }

  public boolean tookEffect(String orderId, String step) {
    return find(orderId, step).map(StepRecord::tookEffect).orElse(false);
  }

  /** Plain INSERT: the primary key makes a second record for the same step impossible. */
  public void record(String orderId, String step, int attempt, boolean tookEffect) {
    jdbc.sql("INSERT INTO order_steps (order_id, step, attempt, took_effect) VALUES (:orderId, :step, :attempt, :tookEffect)")
        .param("orderId", orderId)
        .param("step", step)
        .param("attempt", attempt)
        .param("tookEffect", tookEffect)
        .update();
  }

  public java.util.List<StepRecord> findAll(String orderId) {
    return jdbc.sql("SELECT step, attempt, took_effect FROM order_steps WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, n) -> new StepRecord(rs.getString("step"), rs.getInt("attempt"), rs.getBoolean("took_effect")))
        .list();
  }
}
