package com.example.orders.workflows.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mockito.stubbing.Answer;

/**
 * Holds a mocked activity inside its body so that the workflow is "mid-step".
 *
 * <p>The mock counts down {@code entered} when it starts, then waits until the test {@link #open()
 * opens} the gate. On leaving it heartbeats once, like a real long-running activity would: if the
 * workflow cancelled the activity meanwhile, that heartbeat throws ActivityCanceledException and
 * the activity reports itself cancelled. This matters for time skipping: the test server does not
 * skip time while an activity is running, so a cancelled activity has to actually finish before
 * timers such as the 30 s cancel grace can be skipped.
 *
 * <p>The wait is bounded so a forgotten gate never parks an activity worker thread for good.
 */
final class Gate {
  private static final long MAX_BLOCK_SECONDS = 30;

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** An answer that blocks until the gate opens, then returns {@code value} (unless cancelled). */
  <T> Answer<T> thenReturn(T value) {
    return invocation -> {
      entered.countDown();
      release.await(MAX_BLOCK_SECONDS, TimeUnit.SECONDS);
      Activity.getExecutionContext().heartbeat(null);
      return value;
    };
  }

  /** Waits (real time) until the mocked activity is running. */
  void awaitEntered() throws InterruptedException {
    assertThat(entered.await(10, TimeUnit.SECONDS))
        .as("the blocked activity should have started")
        .isTrue();
  }

  void open() {
    release.countDown();
  }
}
