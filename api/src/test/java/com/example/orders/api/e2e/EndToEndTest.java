package com.example.orders.api.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the end-to-end suites: every test starts from the demo data with no fault armed, and
 * ends with the stock and money invariants checked once all its orders are terminal.
 */
abstract class EndToEndTest {

  protected static final EndToEndEnvironment env = EndToEndEnvironment.get();
  protected final Api api = new Api(env.apiUrl);

  @BeforeEach
  void startFromDemoData() {
    api.resetDemoData();
    env.clearFaults();
  }

  @AfterEach
  void invariantsHold() {
    env.clearFaults();
    Invariants.assertHold(api, env.jdbcUrl);
  }
}
