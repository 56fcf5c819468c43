package com.example.orders.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.deployment.v1.RoutingConfig;
import io.temporal.api.deployment.v1.WorkerDeploymentVersionInfo.VersionTaskQueueInfo;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentResponse;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a build of the workers the current version of its Worker Deployment when the deployment has
 * none, so that a new deployment (a fresh ./run, the tests' stack, a first docker compose up) runs its
 * workflows without an operator's step. A current version is never replaced unless the caller asks
 * for it (a stack that runs one build on a Temporal of its own): switching builds is the rollout,
 * docs/changing-workflows.md.
 *
 * <p>It first waits until the version is registered with the task queue's workflow and activity
 * queues: the server registers each at its first poll, and a version current with only one of them
 * would leave the other's tasks to unversioned workers. Temporal unreachable, or the version not known
 * yet: retried every interval. Another process changing the deployment meanwhile (the same build
 * starting beside it, or another build): its change is kept.
 */
public final class DeploymentCurrentVersion {

  /** What it found or did; {@code current} is the build current afterwards (or before, for REPLACED: the one replaced). */
  public record Result(Outcome outcome, String current) {}

  public enum Outcome {
    /** The deployment had no current version: this build is it now. */
    MADE_CURRENT,
    /** This build was current already. */
    ALREADY_CURRENT,
    /** Another build is current and stays so. */
    OTHER_CURRENT,
    /** Another build was current, and this one replaced it as asked. */
    REPLACED,
    /** This Temporal has no Worker Deployments (the SDK's in-process test server). */
    UNSUPPORTED
  }

  private static final Logger log = LoggerFactory.getLogger(DeploymentCurrentVersion.class);
  /** Set-current attempts refused because the deployment changed since it was described, before waiting an interval. */
  private static final int CONFLICT_ATTEMPTS = 3;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final String taskQueue;
  private final WorkerDeploymentVersion version;
  private final String identity;
  private final boolean replaceCurrent;
  private final Duration interval;

  public DeploymentCurrentVersion(WorkflowServiceStubs stubs, String namespace, String taskQueue,
      WorkerDeploymentVersion version, String identity, boolean replaceCurrent, Duration interval) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.taskQueue = taskQueue;
    this.version = version;
    this.identity = identity;
    this.replaceCurrent = replaceCurrent;
    this.interval = interval;
  }

  /** Waits until the version is registered, then makes it current if there is none; logs one line with the outcome. */
  public Result await() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (registered()) {
          Result result = makeCurrentIfNone();
          log(result);
          return result;
        }
      } catch (StatusRuntimeException e) {
        if (Thread.interrupted()) { // a blocking call interrupted: the process is stopping
          throw new InterruptedException();
        }
        if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
          Result result = new Result(Outcome.UNSUPPORTED, "");
          log(result);
          return result;
        }
        if (attempt % 60 == 1) { // the first failure, then every 60 intervals
          log.warn("Worker Deployment {}: cannot check yet whether version {} is to become current ({}); retrying every {} ms",
              version.getDeploymentName(), version.getBuildId(), e.getStatus(), interval.toMillis());
        }
      }
      Thread.sleep(interval);
    }
  }

  /** True once the server knows the version with both queues of the task queue; NOT_FOUND before its first poll. */
  private boolean registered() {
    try {
      Set<TaskQueueType> types = stub().describeWorkerDeploymentVersion(DescribeWorkerDeploymentVersionRequest.newBuilder()
              .setNamespace(namespace)
              .setDeploymentVersion(io.temporal.api.deployment.v1.WorkerDeploymentVersion.newBuilder()
                  .setDeploymentName(version.getDeploymentName())
                  .setBuildId(version.getBuildId()))
              .build())
          .getWorkerDeploymentVersionInfo().getTaskQueueInfosList().stream()
          .filter(queue -> queue.getName().equals(taskQueue))
          .map(VersionTaskQueueInfo::getType)
          .collect(Collectors.toSet());
      return types.containsAll(Set.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private Result makeCurrentIfNone() {
    for (int attempt = 1; ; attempt++) {
      DescribeWorkerDeploymentResponse deployment = stub().describeWorkerDeployment(DescribeWorkerDeploymentRequest.newBuilder()
          .setNamespace(namespace)
          .setDeploymentName(version.getDeploymentName())
          .build());
      RoutingConfig routing = deployment.getWorkerDeploymentInfo().getRoutingConfig();
      String current = routing.hasCurrentDeploymentVersion() ? routing.getCurrentDeploymentVersion().getBuildId() : "";
      if (current.equals(version.getBuildId())) {
        return new Result(Outcome.ALREADY_CURRENT, current);
      }
      if (!current.isEmpty() && !replaceCurrent) {
        return new Result(Outcome.OTHER_CURRENT, current);
      }
      try {
        // the conflict token makes the server refuse this if the deployment changed since it was described
        stub().setWorkerDeploymentCurrentVersion(SetWorkerDeploymentCurrentVersionRequest.newBuilder()
            .setNamespace(namespace)
            .setDeploymentName(version.getDeploymentName())
            .setBuildId(version.getBuildId())
            .setConflictToken(deployment.getConflictToken())
            .setIdentity(identity)
            .build());
        return current.isEmpty() ? new Result(Outcome.MADE_CURRENT, version.getBuildId()) : new Result(Outcome.REPLACED, current);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void log(Result result) {
    String deployment = version.getDeploymentName();
    String build = version.getBuildId();
    switch (result.outcome()) {
      case MADE_CURRENT -> log.info("Worker Deployment {}: made version {} current (the deployment had none): "
          + "new workflows on task queue {} run on it", deployment, build, taskQueue);
      case ALREADY_CURRENT -> log.info("Worker Deployment {}: version {} is the current version", deployment, build);
      case OTHER_CURRENT -> log.info("Worker Deployment {}: version {} is ready but not current; the current version "
          + "{} is left as it is (a rollout switches it: docs/changing-workflows.md)", deployment, build, result.current());
      case REPLACED -> log.warn("Worker Deployment {}: made version {} current in place of {} (replace-current is on); "
          + "workflows pinned to {} wait until a worker of that build runs", deployment, build, result.current(),
          result.current());
      case UNSUPPORTED -> log.warn("Worker Deployment {}: this Temporal has no Worker Deployments (UNIMPLEMENTED): "
          + "version {} not made current", deployment, build);
    }
  }

  private WorkflowServiceBlockingStub stub() {
    return NamespaceHeader.attach(stubs.blockingStub(), namespace)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
