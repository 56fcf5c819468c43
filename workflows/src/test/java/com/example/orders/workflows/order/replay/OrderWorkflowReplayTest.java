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
 * Replays every committed history, of every generation, against the current {@link
 * OrderWorkflowImpl}. A failure here means that orders in flight when this code is deployed would
 * wedge: make the change behind {@code Workflow.getVersion} (docs/changing-workflows.md).
 */
class OrderWorkflowReplayTest {

  private static TestWorkflowEnvironment testEnv;
  private static Worker worker;

  @BeforeAll
  static void startReplayWorker() {
    // Generations from v3 on were recorded with payload encryption, under the test-only keys; the
    // same converter reads the plaintext of v1 and v2, as the workers do for orders started before it.
    testEnv = TestWorkflowEnvironment.newInstance(RecordedHistory.replayOptions(TestEnvironmentOptions.newBuilder()));
    worker = testEnv.newWorker("replay");
    // v5 on also has the histories of the shipments the orders track (ShipmentWorkflow)
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, ShipmentWorkflowImpl.class);
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

  /**
   * At least the generations before and after the last getVersion change, and none drops a
   * scenario of the one before it (a deleted file would otherwise just mean one test case less).
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
