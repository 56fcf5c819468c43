package com.example.orders.workflows.order.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.workflows.order.OrderWorkflowImpl;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proof that OrderWorkflowReplayTest can fail: this build's order histories are replayed against a
 * deliberately non-deterministic variant of the workflow, with the same code path the replay test
 * uses, and every history that reaches the changed code must be reported at the event where code
 * and history part ways.
 */
class ReplayDetectsNonDeterminismTest {

  /** The orders' histories this build replays: the change below is to the order workflow. */
  private final String thisBuild = RecordedHistory.thisBuild();
  private final List<RecordedHistory> histories = RecordedHistory.all().stream()
      .filter(h -> h.isOrder() && h.build().equals(thisBuild)).toList();

  @Test
  void activityAddedWithoutANewBuildIsReportedWhereItWouldHaveRun() {
    TestEnvironmentOptions options = RecordedHistory.replayOptions(TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new ScreeningBeforeChargeInterceptor())
            .build()));
    try (TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance(options)) {
      Worker worker = testEnv.newWorker("replay");
      worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);

      int reported = 0;
      int reportedAtALocalStep = 0;
      for (RecordedHistory recorded : histories) {
        OptionalLong charge = recorded.stepEventId("chargePayment");
        Optional<AssertionError> failure = recorded.replay(worker, thisBuild);
        if (charge.isEmpty()) {
          // The order never got to chargePayment (out of stock): the new activity would not have run.
          assertThat(failure).as(recorded.file()).isEmpty();
          continue;
        }
        boolean local = recorded.scheduledEventId("chargePayment").orElse(-1) != charge.getAsLong();
        if (local) {
          // the SDK matches a workflow task's local activity markers together, when it completes: it
          // parts ways at one of them or at that completion, at or before chargePayment's marker
          assertThat(failure).as(recorded.file()).hasValueSatisfying(error -> {
            Matcher at = Pattern.compile(" does not replay: at event (\\d+) ").matcher(error.getMessage());
            assertThat(at.find()).as(error.getMessage()).isTrue();
            assertThat(Long.parseLong(at.group(1))).isBetween(1L, charge.getAsLong());
          });
        } else {
          assertThat(failure).as(recorded.file()).hasValueSatisfying(error -> assertThat(error.getMessage())
              .startsWith(recorded.file() + " does not replay: at event " + charge.getAsLong()
                  + " ACTIVITY_TASK_SCHEDULED (chargePayment): [TMPRL1100]")
              .contains(ScreeningBeforeChargeInterceptor.SCREENING));
        }
        reported++;
        reportedAtALocalStep += local ? 1 : 0;
      }
      assertThat(reported).as("histories that reach chargePayment").isPositive();
      assertThat(reportedAtALocalStep).as("histories whose chargePayment ran locally").isPositive();
    }
  }
}
