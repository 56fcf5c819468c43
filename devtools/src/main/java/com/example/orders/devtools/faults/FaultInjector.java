package com.example.orders.devtools.faults;

import java.util.Optional;
import java.util.stream.Stream;
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
    /**
     * The process dies on the spot, as if killed at that point: a named point of the api, or an
     * activity right after its transaction committed (before its workflow task hears of it).
     */
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

  /** Before the activity runs: an armed BEFORE fault fails the attempt. */
  public void beforeActivity(String activity, String orderId) {
    if (consume(activity, orderId, Phase.BEFORE).isPresent()) {
      throw new InjectedFault(activity, Phase.BEFORE);
    }
  }

  /** After the activity's commit: an armed AFTER_COMMIT fault fails the attempt, a CRASH halts the process. */
  public void afterActivityCommit(String activity, String orderId) {
    Optional<Phase> fired = consume(activity, orderId, Phase.AFTER_COMMIT, Phase.CRASH);
    if (fired.isPresent() && fired.get() == Phase.CRASH) {
      halt(activity + " (after its commit)", orderId);
    }
    if (fired.isPresent()) {
      throw new InjectedFault(activity, Phase.AFTER_COMMIT);
    }
  }

  /** Halts the JVM at a named point, like a kill -9 there, if a CRASH fault is armed for it. */
  public void maybeCrash(String point, String orderId) {
    if (consume(point, orderId, Phase.CRASH).isPresent()) {
      halt(point, orderId);
    }
  }

  private static void halt(String point, String orderId) {
    System.err.println("injected crash at " + point + " for order " + orderId);
    Runtime.getRuntime().halt(137);
  }

  /**
   * Atomically takes one firing of a matching armed fault in one of {@code phases}, the oldest armed
   * first (autocommit, so it survives a crash); returns its phase.
   */
  private Optional<Phase> consume(String activity, String orderId, Phase... phases) {
    return jdbc.sql("""
            UPDATE injected_faults SET remaining = remaining - 1, fired = fired + 1
            WHERE id = (SELECT id FROM injected_faults
                        WHERE activity = :activity AND phase IN (:phases) AND remaining > 0
                          AND (order_id IS NULL OR order_id = :orderId)
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING phase""")
        .param("activity", activity)
        .param("phases", Stream.of(phases).map(Phase::name).toList())
        .param("orderId", orderId)
        .query(String.class)
        .optional()
        .map(Phase::valueOf);
  }
}
