package com.example.orders.api.order;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One PostgreSQL session (a connection of its own, outside the api's pool, whose connections stay for
 * the requests) that LISTENs on channel order_terminal (migration V10 notifies it when an
 * order's row reaches its final status) and wakes the requests waiting for those orders: one
 * connection for every waiting request, instead of a Temporal long poll each. While the session is
 * down nothing is promised: {@link #isListening()} says so, and every waiter is woken when it comes
 * back, to look at its order's row again.
 */
@Component
public class TerminalOrderNotifications implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TerminalOrderNotifications.class);
  private static final String CHANNEL = "order_terminal";
  /** How often the session is checked: reading notifications alone never notices a dead connection. */
  private static final long CHECK_EVERY_MILLIS = 5_000;

  private final String url;
  private final Properties credentials = new Properties();
  private final ConcurrentMap<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private volatile boolean listening;
  private volatile boolean running;
  private Thread listener;

  public TerminalOrderNotifications(@Value("${spring.datasource.url}") String url,
      @Value("${spring.datasource.username}") String user, @Value("${spring.datasource.password:}") String password,
      @Value("${spring.application.name}") String application) {
    this.url = url;
    credentials.setProperty("user", user);
    credentials.setProperty("password", password);
    credentials.setProperty("ApplicationName", application + "-order-terminal-listener");
    credentials.setProperty("tcpKeepAlive", "true");
  }

  /** True while the session listens: a notification for a registered order will wake its waiter. */
  public boolean isListening() {
    return listening;
  }

  /** Completes when a notification names {@code orderId}, or when the waiter should look again. */
  public CompletableFuture<Void> register(String orderId) {
    CompletableFuture<Void> woken = new CompletableFuture<>();
    // added inside compute, so that a concurrent unregister cannot drop the set it is added to
    waiters.compute(orderId, (id, set) -> {
      Set<CompletableFuture<Void>> waiting = set == null ? ConcurrentHashMap.newKeySet() : set;
      waiting.add(woken);
      return waiting;
    });
    return woken;
  }

  public void unregister(String orderId, CompletableFuture<Void> woken) {
    waiters.computeIfPresent(orderId, (id, set) -> {
      set.remove(woken);
      return set.isEmpty() ? null : set;
    });
  }

  @Override
  public void start() {
    running = true;
    listener = Thread.ofPlatform().daemon().name("order-terminal-listener").start(this::listenUntilStopped);
  }

  @Override
  public void stop() {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void listenUntilStopped() {
    long backoffMillis = 500;
    while (running) {
      try (Connection connection = DriverManager.getConnection(url, credentials);
           Statement listen = connection.createStatement()) {
        listen.execute("LISTEN " + CHANNEL);
        PGConnection session = connection.unwrap(PGConnection.class);
        listening = true;
        wakeEveryone(); // anything that ended while nobody listened is seen by its waiter's next look
        backoffMillis = 500;
        long nextCheck = System.currentTimeMillis() + CHECK_EVERY_MILLIS;
        while (running) {
          PGNotification[] notifications = session.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              wake(notification.getParameter());
            }
          }
          if (System.currentTimeMillis() >= nextCheck) {
            // a half-open connection (network drop, failover without a reset) answers nothing
            if (!connection.isValid(2)) {
              throw new SQLException("the listening session stopped answering");
            }
            nextCheck = System.currentTimeMillis() + CHECK_EVERY_MILLIS;
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          log.warn("Not listening for finished orders ({}); requests with Prefer: wait fall back to asking "
              + "Temporal. Retrying in {} ms", e.getMessage(), backoffMillis);
        }
      } finally {
        listening = false;
        wakeEveryone();
      }
      if (running) {
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException e) {
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 10_000);
      }
    }
  }

  private void wake(String orderId) {
    Set<CompletableFuture<Void>> woken = waiters.remove(orderId);
    if (woken != null) {
      woken.forEach(future -> future.complete(null));
    }
  }

  private void wakeEveryone() {
    waiters.keySet().forEach(this::wake);
  }
}
