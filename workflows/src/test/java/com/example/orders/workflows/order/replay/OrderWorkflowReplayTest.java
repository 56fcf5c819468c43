package com.example.orders.workflows.order.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recorded histories against this build. OrderWorkflow is PINNED: this build replays the newest
 * generation of order histories (its own) and refuses older ones, naming the build they must finish
 * on. ShipmentWorkflow upgrades in place: every generation of it replays. A failure names the file
 * and the event where code and history part ways (docs/changing-workflows.md).
 */
class OrderWorkflowReplayTest {

  private static final String THIS_BUILD = RecordedHistory.thisBuild();
  private static TestWorkflowEnvironment testEnv;
  private static Worker worker;

  @BeforeAll
  static void startReplayWorker() {
    // Generations from v3 on were recorded with payload encryption, under the test-only keys; the
    // same converter reads the plaintext of v1 and v2.
    testEnv = TestWorkflowEnvironment.newInstance(RecordedHistory.replayOptions(TestEnvironmentOptions.newBuilder()));
    worker = testEnv.newWorker("replay");
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, ShipmentWorkflowImpl.class);
  }

  @AfterAll
  static void stop() {
    testEnv.close();
  }

  static List<RecordedHistory> thisBuildsHistories() {
    return RecordedHistory.all().stream().filter(h -> !h.isOrder() || h.build().equals(THIS_BUILD)).toList();
  }

  static List<RecordedHistory> otherBuildsOrders() {
    return RecordedHistory.all().stream().filter(h -> h.isOrder() && !h.build().equals(THIS_BUILD)).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("thisBuildsHistories")
  void replaysAgainstThisBuild(RecordedHistory recorded) {
    recorded.replay(worker, THIS_BUILD).ifPresent(failure -> {
      throw failure;
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherBuildsOrders")
  void anOrderOfAnotherBuildIsRefusedNamingTheBuildItMustFinishOn(RecordedHistory recorded) {
    assertThat(recorded.replay(worker, THIS_BUILD)).as(recorded.file()).hasValueSatisfying(refusal ->
        assertThat(refusal.getMessage())
            .startsWith(recorded.file() + " belongs to " + recorded.build() + ", not to this build")
            .contains("must finish there", "drained"));
  }

  /** This build's histories were recorded on a versioned build, and the retired ones stay as the record. */
  @Test
  void thisBuildIsAVersionedBuildAndTheRetiredGenerationsAreKept() {
    assertThat(THIS_BUILD).startsWith("orders:");
    assertThat(otherBuildsOrders()).extracting(RecordedHistory::build).contains(PinnedBuild.UNVERSIONED);
  }

  /**
   * At least two generations, and none drops a scenario of the one before it (a deleted file would
   * otherwise just mean one test case less).
   */
  @Test
  void everyGenerationHasTheScenariosOfThePreviousOne() {
    Map<String, Set<String>> scenariosByGeneration = RecordedHistory.all().stream()
        .collect(Collectors.groupingBy(RecordedHistory::generation,
            () -> new TreeMap<>(Comparator.comparingInt((String g) -> Integer.parseInt(g.substring(1)))),
            Collectors.mapping(RecordedHistory::scenario, Collectors.toSet())));

    assertThat(scenariosByGeneration).hasSizeGreaterThanOrEqualTo(2);
    Set<String> previous = Set.of();
    for (Map.Entry<String, Set<String>> generation : scenariosByGeneration.entrySet()) {
      assertThat(generation.getValue()).as(generation.getKey()).containsAll(previous);
      previous = generation.getValue();
    }
  }
}
