package com.example.orders.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the end-to-end suites: every test starts from the whole stack running (whatever an earlier
 * test stopped is brought back), the demo data and no fault armed, and ends with the stock and money
 * invariants checked once all its orders are terminal.
 */
abstract class EndToEndTest {

  protected static final EndToEndEnvironment env = EndToEndEnvironment.get();
  protected final Api api = env.client("operator");

  @BeforeEach
  void startFromDemoData() {
    env.restoreStack();
    api.resetDemoData();
    env.clearFaults();
  }

  /**
   * Opens a transaction holding {@code sku}'s product row lock, so reservations of it block (and
   * time out and retry) until the caller rolls back or closes the connection.
   */
  protected static Connection holdProductLock(String sku) throws SQLException {
    Connection lock = DriverManager.getConnection(env.jdbcUrl, "postgres", "");
    lock.setAutoCommit(false);
    try (PreparedStatement select = lock.prepareStatement("SELECT * FROM products WHERE sku = ? FOR NO KEY UPDATE")) {
      select.setString(1, sku);
      select.execute();
    }
    return lock;
  }

  /** Places {@code orderJson}, an order at or above the review threshold; returns its id once it is AWAITING_REVIEW. */
  protected String placeAndAwaitReview(String orderJson) {
    Api.Response placed = api.post("/orders", orderJson);
    assertThat(placed.status()).as(placed.raw()).isEqualTo(202);
    String orderId = placed.body().get("orderId").asString();
    await("order " + orderId + " awaiting review").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/orders/" + orderId).body().get("status").asString(), "AWAITING_REVIEW"::equals);
    return orderId;
  }

  @AfterEach
  void invariantsHold() {
    env.clearFaults();
    Invariants.assertHold(api, env.jdbcUrl);
  }
}
