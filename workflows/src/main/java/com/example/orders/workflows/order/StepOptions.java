package com.example.orders.workflows.order;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How long each kind of order step may take and how it is retried. */
final class StepOptions {

  /**
   * Every activity is one short transaction (lock_timeout 2 s), so 10 s is generous; it is also how
   * long an activity on a crashed worker waits before Temporal retries it elsewhere.
   */
  private static final Duration START_TO_CLOSE = Duration.ofSeconds(10);

  /**
   * Steps before the pivot, once their local tries are spent. Business refusals are non-retryable
   * ApplicationFailures; anything else (lost connection, lock timeout, deadlock) is retried with
   * backoff until the budget runs out, after which the order is undone as STEP_TIMED_OUT.
   */
  static final ActivityOptions UNDOABLE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(START_TO_CLOSE)
      .setScheduleToCloseTimeout(Duration.ofMinutes(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .build())
      .build();

  /**
   * The pivot, every compensation and every record of the order's state: retried without limit (the
   * pivot, the compensations and the undo's records once their local tries are spent). One that keeps
   * failing stays visible as a pending activity and the order stays COMPENSATING.
   */
  static final ActivityOptions MUST_SUCCEED = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(START_TO_CLOSE)
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(0)
          .build())
      .build();

  /**
   * The first tries of a forward step, a compensation or a record of the undo: a local activity, run
   * inside the workflow task, so a flowing order costs one workflow task and one marker per step, and
   * so does an undone one. Short on purpose: a step still failing is handed to a regular activity,
   * where an operator sees it pending and a cancel can reach a forward step. A local attempt cannot be
   * cancelled, and an update (cancel, review) waits for the workflow task to end. One lock wait
   * (lock_timeout 2 s) fits an attempt.
   */
  static final LocalActivityOptions LOCAL_FIRST_TRIES = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(3))
      .setScheduleToCloseTimeout(Duration.ofSeconds(4))
      // the arguments are in the workflow's input already: the marker keeps only the result
      .setDoNotIncludeArgumentsIntoMarker(true)
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(100))
          .setBackoffCoefficient(2)
          .setMaximumAttempts(3)
          .build())
      .build();

  /** How long a cancel accepted by update waits for the caller's workflow cancel request. */
  static final Duration WORKFLOW_CANCEL_GRACE = Duration.ofSeconds(30);

  private StepOptions() {}
}
