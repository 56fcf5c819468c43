package com.example.orders.api.order;

import com.example.orders.order.OrderContract;
import com.example.orders.order.OrderResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/** Waits for an order's workflow to close, for {@code Prefer: wait=N}, by long-polling Temporal. */
@Service
public class OrderOutcomes {

  public static final int MAX_WAIT_SECONDS = 60;

  private final WorkflowClient client;

  public OrderOutcomes(WorkflowClient client) {
    this.client = client;
  }

  /**
   * @return true if the workflow closed (completed, failed or cancelled) within the wait; the order
   *     row already holds its terminal status then, because the last step writes it
   */
  public boolean awaitTerminal(String orderId, Duration wait) {
    try {
      client.newUntypedWorkflowStub(OrderContract.workflowId(orderId))
          .getResult(wait.toMillis(), TimeUnit.MILLISECONDS, OrderResult.class);
      return true;
    } catch (WorkflowFailedException undone) {
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
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
