package com.example.orders.workflows.order;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** How the order workflow reads the failures its steps end with. */
final class SagaFailures {

  /** The order's failure record: a business refusal by its type, a step out of time, or anything else. */
  static OrderFailure describe(TemporalFailure cause, String step) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return new OrderFailure(step, app.getType(), app.getOriginalMessage(), failedAttempt(cause));
      }
      if (t instanceof TimeoutFailure) {
        return new OrderFailure(step, OrderFailureReason.STEP_TIMED_OUT,
            step + " kept failing until its time budget ran out", 0);
      }
    }
    return new OrderFailure(step, "STEP_FAILED", cause.getMessage(), 0);
  }

  /** Activities put the attempt that failed into the failure details, when they know it. */
  static int failedAttempt(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app && app.getDetails().getSize() > 0) {
        Integer attempt = app.getDetails().get(Integer.class);
        return attempt == null ? 0 : attempt;
      }
    }
    return 0;
  }

  /** A non-retryable ApplicationFailure from the activity: a business rule said no (OUT_OF_STOCK, ...). */
  static boolean isBusinessRefusal(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.isNonRetryable();
      }
    }
    return false;
  }

  static boolean isCancellation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message, for a step's summary when it is retried as a regular activity. */
  static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private SagaFailures() {}
}
