package com.example.orders.order.replay;

import com.example.orders.order.OrderWorkflowImpl;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every committed history, of every generation, against the current {@link
 * OrderWorkflowImpl}. A failure here means that orders in flight when this code is deployed would
 * wedge: make the change behind {@code Workflow.getVersion} (README, "Changing the workflow safely").
 */
class OrderWorkflowReplayTest {

  private static TestWorkflowEnvironment testEnv;
  private static Worker worker;

  @BeforeAll
  static void startReplayWorker() {
    testEnv = TestWorkflowEnvironment.newInstance();
    worker = testEnv.newWorker("replay");
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
  }

  @AfterAll
  static void stop() {
    testEnv.close();
  }

  static List<RecordedHistory> histories() {
    return RecordedHistory.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replaysAgainstTheCurrentWorkflow(RecordedHistory recorded) {
    recorded.replay(worker).ifPresent(failure -> {
      throw failure;
    });
  }
}
