package com.example.orders.systemtests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

  @AfterEach
  void invariantsHold() {
    env.clearFaults();
    Invariants.assertHold(api, env.jdbcUrl);
  }
}
