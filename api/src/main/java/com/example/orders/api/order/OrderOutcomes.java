package com.example.orders.api.order;

import com.example.orders.workflows.order.OrderContract;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderResult;
import com.example.orders.workflows.order.OrderStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Waits for an order to reach its final status, for {@code Prefer: wait=N}: woken by PostgreSQL when
 * its row does ({@link TerminalOrderNotifications}), or, while that session is down, by long-polling
 * Temporal for the workflow's end.
 */
@Service
public class OrderOutcomes {

  public static final int MAX_WAIT_SECONDS = 60;
  private static final Logger log = LoggerFactory.getLogger(OrderOutcomes.class);

  private final WorkflowClient client;
  private final OrderRepository orders;
  private final TerminalOrderNotifications notifications;

  public OrderOutcomes(WorkflowClient client, OrderRepository orders, TerminalOrderNotifications notifications) {
    this.client = client;
    this.orders = orders;
    this.notifications = notifications;
  }

  /**
   * @return true if the order's row holds its final status (COMPLETED, FAILED or CANCELLED) within
   *     the wait. The row is final before the workflow ends (the shipment's tracking may still be
   *     starting, a cancelled run still closing), so the answer does not wait for those.
   */
  public boolean awaitTerminal(String orderId, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (notifications.isListening()) {
        // registered before the row is read, so an end committed in between still wakes this wait
        CompletableFuture<Void> woken = notifications.register(orderId);
        try {
          if (orders.status(orderId).filter(OrderStatus::isTerminal).isPresent()) {
            return true;
          }
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return false;
          }
          woken.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRunning) {
          return false;
        } finally {
          notifications.unregister(orderId, woken);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | DataAccessException e) {
      log.warn("Waiting for order {} in the database failed, asking Temporal instead: {}", orderId, e.getMessage());
    }
    return awaitWorkflowEnd(orderId, deadline);
  }

  /**
   * The fallback: true if the workflow closed (completed, failed or cancelled) before the deadline.
   * If Temporal throttles or fails the long poll ("Workflow is busy" under load), it is retried until
   * the deadline, and then the caller answers with the current state.
   */
  private boolean awaitWorkflowEnd(String orderId, long deadline) {
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
