package com.example.orders.systemtests;

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

  @AfterEach
  void invariantsHold() {
    env.clearFaults();
    Invariants.assertHold(api, env.jdbcUrl);
  }
}
