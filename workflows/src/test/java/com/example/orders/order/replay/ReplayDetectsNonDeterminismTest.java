package com.example.orders.order.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.order.OrderContract;
import com.example.orders.order.OrderWorkflowImpl;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Proof that OrderWorkflowReplayTest can fail: the committed histories are replayed against two
 * deliberately non-deterministic variants of the workflow, with the same code path the replay test
 * uses, and every history that reaches the changed code must be reported at the event where code
 * and history part ways.
 */
class ReplayDetectsNonDeterminismTest {

  /** The orders' histories: the changes below are to the order workflow (shipments have their own type). */
  private final List<RecordedHistory> histories = RecordedHistory.all().stream()
      .filter(h -> h.workflowType().equals(OrderContract.WORKFLOW_TYPE)).toList();

  @Test
  void stepsReorderedAreReportedAtTheFirstActivityOfEveryHistory() {
    try (TestWorkflowEnvironment testEnv =
        TestWorkflowEnvironment.newInstance(RecordedHistory.replayOptions(TestEnvironmentOptions.newBuilder()))) {
      Worker worker = testEnv.newWorker("replay");
      worker.registerWorkflowImplementationTypes(ChargeBeforeReserveWorkflow.class);

      for (RecordedHistory recorded : histories) {
        long reserveScheduled = recorded.scheduledEventId("reserveInventory").orElseThrow();
        assertThat(recorded.replay(worker))
            .as(recorded.file())
            .hasValueSatisfying(failure -> assertThat(failure.getMessage())
                .startsWith(recorded.file() + " does not replay: at event " + reserveScheduled
                    + " ACTIVITY_TASK_SCHEDULED (reserveInventory): [TMPRL1100]")
                .contains("activityType", "chargePayment"));
      }
    }
  }

  @Test
  void activityAddedWithoutGetVersionIsReportedWhereItWouldHaveRun() {
    TestEnvironmentOptions options = RecordedHistory.replayOptions(TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new ScreeningBeforeChargeInterceptor())
            .build()));
    try (TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = testEnv.newWorker("replay");
      worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);

      int reported = 0;
      for (RecordedHistory recorded : histories) {
        OptionalLong chargeScheduled = recorded.scheduledEventId("chargePayment");
        Optional<AssertionError> failure = recorded.replay(worker);
        if (chargeScheduled.isEmpty()) {
          // The order never got to chargePayment (out of stock): the new activity would not have run.
          assertThat(failure).as(recorded.file()).isEmpty();
          continue;
        }
        assertThat(failure).as(recorded.file()).hasValueSatisfying(error -> assertThat(error.getMessage())
            .startsWith(recorded.file() + " does not replay: at event " + chargeScheduled.getAsLong()
                + " ACTIVITY_TASK_SCHEDULED (chargePayment): [TMPRL1100]")
            .contains(ScreeningBeforeChargeInterceptor.SCREENING));
        reported++;
      }
      assertThat(reported).as("histories that reach chargePayment").isPositive();
    }
  }
}
