package com.example.orders.activities.order;

import com.example.orders.domain.order.BusinessRuleViolation;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/** Runs one activity invocation's service call with its attempt number, mapping business failures. */
public final class ActivityAttempt {

  private ActivityAttempt() {}

  /**
   * Calls {@code step} (one transaction) with the current attempt. A {@link BusinessRuleViolation}
   * becomes a non-retryable ApplicationFailure typed with its reason and carrying the attempt as
   * details; every other exception propagates and Temporal retries it. A refusal is BENIGN: an
   * outcome, not an error, so the SDK logs it at DEBUG (not a WARN with a stack trace per refused
   * order) and leaves it out of its failure metrics; the workflow logs one line per undone order.
   */
  public static <T> T run(IntFunction<T> step) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    try {
      return step.apply(attempt);
    } catch (BusinessRuleViolation violation) {
      throw ApplicationFailure.newBuilder()
          .setMessage(violation.getMessage())
          .setType(violation.reason())
          .setDetails(attempt)
          .setNonRetryable(true)
          .setCategory(ApplicationErrorCategory.BENIGN)
          .build();
    }
  }

  public static void runVoid(IntConsumer step) {
    run(attempt -> {
      step.accept(attempt);
      return null;
    });
  }
}
