package com.example.orders.faults;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes activities fail on purpose, for the tests that prove retries and compensations are safe.
 * Off unless {@code orders.fault-injection.enabled} (ORDERS_FAULT_INJECTION) is true; then each
 * activity invocation consumes at most one matching row of {@code injected_faults}.
 */
@Component
public class FaultInjector {

  public enum Phase {
    /** Before the activity's transaction: nothing happened, Temporal retries. */
    BEFORE,
    /** After the activity's transaction committed, before Temporal hears of it: the retry must change nothing. */
    AFTER_COMMIT,
    /** The process dies on the spot, as if killed at that point. */
    CRASH
  }

  /** The failure an injected fault raises; retryable like any infrastructure failure. */
  public static class InjectedFault extends RuntimeException {
    InjectedFault(String activity, Phase phase) {
      super("injected fault: " + activity + " " + phase);
    }
  }

  private final JdbcClient jdbc;
  private final boolean enabled;

  public FaultInjector(JdbcClient jdbc, @Value("${orders.fault-injection.enabled:false}") boolean enabled) {
    this.jdbc = jdbc;
    this.enabled = enabled;
  }

  public void maybeFail(String activity, String orderId, Phase phase) {
    if (consume(activity, orderId, phase)) {
      throw new InjectedFault(activity, phase);
    }
  }

  /** Halts the JVM at a named point, like a kill -9 there, if a CRASH fault is armed for it. */
  public void maybeCrash(String point, String orderId) {
    if (consume(point, orderId, Phase.CRASH)) {
      System.err.println("injected crash at " + point + " for order " + orderId);
      Runtime.getRuntime().halt(137);
    }
  }

  /** Atomically takes one firing of a matching armed fault (autocommit, so it survives a crash). */
  private boolean consume(String activity, String orderId, Phase phase) {
    if (!enabled) {
      return false;
    }
    return jdbc.sql("""
            UPDATE injected_faults SET remaining = remaining - 1, fired = fired + 1
            WHERE id = (SELECT id FROM injected_faults
                        WHERE activity = :activity AND phase = :phase AND remaining > 0
                          AND (order_id IS NULL OR order_id = :orderId)
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)""")
        .param("activity", activity)
        .param("phase", phase.name())
        .param("orderId", orderId)
        .update() == 1;
  }
}
