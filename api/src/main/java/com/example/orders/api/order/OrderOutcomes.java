package com.example.orders.api.order;

import com.example.orders.order.OrderContract;
import com.example.orders.order.OrderResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Waits for an order's workflow to close, for {@code Prefer: wait=N}, by long-polling Temporal. */
@Service
public class OrderOutcomes {

  public static final int MAX_WAIT_SECONDS = 60;
  private static final Logger log = LoggerFactory.getLogger(OrderOutcomes.class);

  private final WorkflowClient client;

  public OrderOutcomes(WorkflowClient client) {
    this.client = client;
  }

  /**
   * @return true if the workflow closed (completed, failed or cancelled) within the wait; the order
   *     row already holds its terminal status then, because the last step writes it. Waiting is only
   *     a preference: if Temporal throttles or fails the long poll ("Workflow is busy" under load),
   *     it is retried until the wait is over, and then the caller answers with the current state.
   */
  public boolean awaitTerminal(String orderId, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        return false;
      }
      try {
        client.newUntypedWorkflowStub(OrderContract.workflowId(orderId))
            .getResult(remainingMillis, TimeUnit.MILLISECONDS, OrderResult.class);
        return true;
      } catch (WorkflowFailedException undone) {
        return true;
      } catch (TimeoutException stillRunning) {
        return false;
      } catch (WorkflowServiceException pollFailed) {
        log.warn("Waiting for order {} failed, retrying within the wait: {}", orderId,
            pollFailed.getCause() == null ? pollFailed.getMessage() : pollFailed.getCause().getMessage());
        sleepQuietly(Math.min(200, remainingMillis));
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads {@code wait=N} from a Prefer header (RFC 7240); absent or malformed means no wait. */
  public static Duration requestedWait(String prefer) {
    if (prefer == null) {
      return Duration.ZERO;
    }
    for (String preference : prefer.split("[,;]")) {
      String[] pair = preference.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("wait")) {
        try {
          long seconds = Long.parseLong(pair[1].trim().replace("\"", ""));
          return Duration.ofSeconds(Math.max(0, Math.min(seconds, MAX_WAIT_SECONDS)));
        } catch (NumberFormatException ignored) {
          return Duration.ZERO; // RFC 7240: a preference the server cannot understand is ignored
        }
      }
    }
    return Duration.ZERO;
  }
}
