package com.example.orders.workflows.order.replay;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One committed history, {@code histories/<generation>/<scenario>.json} on the test classpath,
 * recorded from the real dev server by {@code ./run record-histories}.
 */
record RecordedHistory(String file, WorkflowExecutionHistory history) {

  static final String ROOT = "histories";

  /**
   * The build whose OrderWorkflow this code is: the one the newest generation of order histories was
   * recorded on. Its histories must replay; older generations belong to builds of their own.
   */
  static String thisBuild() {
    return all().stream().filter(RecordedHistory::isOrder)
        .max(Comparator.comparingInt(RecordedHistory::generationNumber))
        .map(RecordedHistory::build).orElseThrow(() -> new AssertionError("no OrderWorkflow history recorded"));
  }

  /** Every recorded history of every generation, in path order. */
  static List<RecordedHistory> all() {
    URL root = RecordedHistory.class.getClassLoader().getResource(ROOT);
    if (root == null) {
      throw new AssertionError("no " + ROOT + "/ on the test classpath: record with ./run record-histories v1");
    }
    try {
      Path dir = Path.of(root.toURI());
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
            .map(f -> load(dir.getParent(), f)).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RecordedHistory load(Path base, Path file) {
    String name = base.relativize(file).toString();
    try {
      // The JSON has no workflow id; the file name makes the SDK's own messages point at the file.
      return new RecordedHistory(name, WorkflowExecutionHistory.fromJson(Files.readString(file), name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Options for a replay environment: builds on {@code options} the converter that reads every
   * generation, encrypted ones (v3 on, under the test-only keys) and plaintext ones (v1, v2) alike.
   */
  static TestEnvironmentOptions replayOptions(TestEnvironmentOptions.Builder options) {
    return options.setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
        .setDataConverter(testPayloadCodec().dataConverter()).build()).build();
  }

  /** Decodes histories recorded with encryption: the test-only keys (test resources, which say so). */
  private static PayloadEncryptionCodec testPayloadCodec() {
    try (var keys = RecordedHistory.class.getClassLoader().getResourceAsStream("encryption/test-only-payload-keys")) {
      if (keys == null) {
        throw new AssertionError("no encryption/test-only-payload-keys on the test classpath");
      }
      return new PayloadEncryptionCodec(
          PayloadKeyring.parse(new String(keys.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "test keys"), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The type of the workflow that wrote it (OrderWorkflow, or ShipmentWorkflow from v5 on). */
  String workflowType() {
    return history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
  }

  boolean isOrder() {
    return workflowType().equals(OrderContract.WORKFLOW_TYPE);
  }

  /** The build its run is pinned to: {@code orders:<build id>}, or {@link PinnedBuild#UNVERSIONED}. */
  String build() {
    return PinnedBuild.of(history).orElse(PinnedBuild.UNVERSIONED);
  }

  /** The generation folder, e.g. "v1". */
  String generation() {
    return Path.of(file).getParent().getFileName().toString();
  }

  int generationNumber() {
    return Integer.parseInt(generation().substring(1));
  }

  /** The scenario, e.g. "out-of-stock". */
  String scenario() {
    return Path.of(file).getFileName().toString().replaceFirst("\\.json$", "");
  }

  /**
   * Replays this history on {@code worker} (which has the workflow implementation registered), as a
   * build of {@code thisBuild} would. Empty if it replays; an order pinned to another build is
   * refused, naming that build; otherwise an error naming the file and the event where the code diverged.
   */
  Optional<AssertionError> replay(Worker worker, String thisBuild) {
    if (isOrder() && !build().equals(thisBuild)) {
      return Optional.of(new AssertionError(PinnedBuild.refusal(file, build())));
    }
    try {
      WorkflowReplayer.replayWorkflowExecution(history, worker);
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of(new AssertionError(
          file + " does not replay: " + ReplayDiagnosis.explain(e, history), e));
    }
  }

  /** Id of the first ActivityTaskScheduled event of {@code activityType}, if the history has one. */
  OptionalLong scheduledEventId(String activityType) {
    return history.getEvents().stream()
        .filter(e -> e.hasActivityTaskScheduledEventAttributes()
            && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
        .mapToLong(HistoryEvent::getEventId).findFirst();
  }

  /**
   * The first event where {@code activityType} ran: its ActivityTaskScheduled, or the marker of a
   * local activity (whose "type" detail names it as a JSON string), whichever comes first.
   */
  OptionalLong stepEventId(String activityType) {
    String quoted = "\"" + activityType + "\"";
    return history.getEvents().stream()
        .filter(e -> (e.hasActivityTaskScheduledEventAttributes()
            && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
            || (e.hasMarkerRecordedEventAttributes()
            && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
            && e.getMarkerRecordedEventAttributes().getDetailsOrThrow("type").getPayloads(0).getData().toStringUtf8()
                .equals(quoted)))
        .mapToLong(HistoryEvent::getEventId).findFirst();
  }

  @Override
  public String toString() {
    return file;
  }
}
