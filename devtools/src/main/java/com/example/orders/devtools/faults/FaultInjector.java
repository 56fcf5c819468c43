package com.example.orders.devtools.faults;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Makes activities fail, or a process die, on purpose: the tests that prove retries, compensations
 * and crash recovery safe arm a row of {@code injected_faults}, and each matching point consumes at
 * most one firing. Lives in devtools only; the interceptors of {@link FaultInjectionAutoConfiguration}
 * call it, so no production class knows it exists.
 */
public class FaultInjector {

  public enum Phase {
    /** Before the activity runs: nothing happened, Temporal retries. */
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

  public FaultInjector(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
