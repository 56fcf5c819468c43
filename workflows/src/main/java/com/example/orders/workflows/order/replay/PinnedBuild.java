package com.example.orders.workflows.order.replay;

import io.temporal.api.deployment.v1.WorkerDeploymentVersion;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.Optional;

/**
 * The build an OrderWorkflow run is pinned to, as its history records it. An order runs to its end
 * on the build it started on (Worker Deployment Versioning, PINNED), so no other build replays it:
 * the replay tests and {@code ./run replay} name that build instead of reporting a non-determinism.
 */
public final class PinnedBuild {

  /** What a run recorded before Worker Deployment Versioning is pinned to, in messages. */
  public static final String UNVERSIONED = "an unversioned build (before Worker Deployment Versioning)";

  private PinnedBuild() {}

  /** The deployment version ({@code orders:<build id>}) its workflow tasks completed on, if any. */
  public static Optional<String> of(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasWorkflowTaskCompletedEventAttributes)
        .map(e -> e.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion())
        .filter(version -> !version.getBuildId().isEmpty())
        .map(PinnedBuild::name)
        .findFirst();
  }

  public static String name(WorkerDeploymentVersion version) {
    return version.getDeploymentName() + ":" + version.getBuildId();
  }

  /** Why {@code source}, recorded on {@code build}, is not replayed by this build, and what to do about it. */
  public static String refusal(String source, String build) {
    return source + " belongs to " + build + ", not to this build: an OrderWorkflow is pinned to the build it"
        + " started on and must finish there. Keep that build's workers running until"
        + " `temporal worker deployment describe --name orders` shows it drained (docs/changing-workflows.md).";
  }
}
