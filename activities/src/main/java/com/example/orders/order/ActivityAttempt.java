package com.example.orders.order;

import com.example.orders.faults.FaultInjector;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.springframework.stereotype.Component;

/** Runs one activity invocation's service call with its attempt number, mapping business failures. */
@Component
public class ActivityAttempt {

  private final FaultInjector faults;

  public ActivityAttempt(FaultInjector faults) {
    this.faults = faults;
  }

  /**
   * Calls {@code step} (one transaction) with the current attempt. A {@link BusinessRuleViolation}
   * becomes a non-retryable ApplicationFailure typed with its reason and carrying the attempt as
   * details; every other exception propagates and Temporal retries it.
   */
  public <T> T run(String orderId, IntFunction<T> step) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    faults.maybeFail(info.getActivityType(), orderId, FaultInjector.Phase.BEFORE);
    T result;
    try {
      result = step.apply(info.getAttempt());
    } catch (BusinessRuleViolation violation) {
      throw ApplicationFailure.newNonRetryableFailure(violation.getMessage(), violation.reason(), info.getAttempt());
    }
    faults.maybeFail(info.getActivityType(), orderId, FaultInjector.Phase.AFTER_COMMIT);
    return result;
  }

  public void runVoid(String orderId, IntConsumer step) {
    run(orderId, attempt -> {
      step.accept(attempt);
      return null;
    });
  }
}
