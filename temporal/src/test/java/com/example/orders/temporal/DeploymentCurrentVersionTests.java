package com.example.orders.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.orders.temporal.DeploymentCurrentVersion.Outcome;
import com.example.orders.temporal.DeploymentCurrentVersion.Result;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.deployment.v1.RoutingConfig;
import io.temporal.api.deployment.v1.WorkerDeploymentInfo;
import io.temporal.api.deployment.v1.WorkerDeploymentVersionInfo;
import io.temporal.api.deployment.v1.WorkerDeploymentVersionInfo.VersionTaskQueueInfo;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentResponse;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkerDeploymentVersionResponse;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionRequest;
import io.temporal.api.workflowservice.v1.SetWorkerDeploymentCurrentVersionResponse;
import io.temporal.common.WorkerDeploymentVersion;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Making a build current when its deployment has none, against a fake Temporal frontend served in
 * process (gRPC) that registers versions, keeps the routing and checks the conflict token as the
 * server does.
 */
class DeploymentCurrentVersionTests {

  private static final String NAMESPACE = "orders-test";
  private static final WorkerDeploymentVersion B = new WorkerDeploymentVersion("orders", "0.1.0-b");
  private static final Set<TaskQueueType> BOTH = EnumSet.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);

  private final Frontend frontend = new Frontend();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(DeploymentCurrentVersion.class);
  private InProcessFrontend served;

  @BeforeEach
  void startFrontend() throws Exception {
    served = InProcessFrontend.serve(frontend);
    logger.addAppender(log);
    log.start();
  }

  @AfterEach
  void stopFrontend() throws InterruptedException {
    logger.detachAppender(log);
    served.close();
  }

  private DeploymentCurrentVersion version(WorkerDeploymentVersion version, boolean replaceCurrent) {
    return new DeploymentCurrentVersion(served.stubs(), NAMESPACE, "orders", version, "42@workers-1", replaceCurrent,
        Duration.ofMillis(10));
  }

  private static CompletableFuture<Result> start(DeploymentCurrentVersion version) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return version.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static Result outcomeOf(DeploymentCurrentVersion version) throws Exception {
    return start(version).get(5, TimeUnit.SECONDS);
  }

  private String logged() {
    assertThat(log.list).hasSize(1);
    return log.list.getFirst().getFormattedMessage();
  }

  @Test
  void waitsUntilTheVersionPollsBothQueuesThenMakesItCurrent() throws Exception {
    CompletableFuture<Result> made = start(version(B, false));
    await().atMost(Duration.ofSeconds(5)).until(() -> frontend.versionDescribes.get() >= 3); // NOT_FOUND: not polled yet
    frontend.registered = EnumSet.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW); // the workflow poller came first
    int describes = frontend.versionDescribes.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> frontend.versionDescribes.get() >= describes + 3);
    assertThat(made).isNotDone();
    assertThat(frontend.sets).isEmpty();

    frontend.registered = BOTH;

    assertThat(made.get(5, TimeUnit.SECONDS)).isEqualTo(new Result(Outcome.MADE_CURRENT, "0.1.0-b"));
    SetWorkerDeploymentCurrentVersionRequest set = frontend.sets.getFirst();
    assertThat(set.getNamespace()).isEqualTo(NAMESPACE);
    assertThat(set.getDeploymentName()).isEqualTo("orders");
    assertThat(set.getBuildId()).isEqualTo("0.1.0-b");
    assertThat(set.getIdentity()).isEqualTo("42@workers-1");
    assertThat(set.getConflictToken().toStringUtf8()).as("the token of the deployment it described").isEqualTo("t0");
    assertThat(frontend.current).isEqualTo("0.1.0-b");
    assertThat(logged()).isEqualTo("Worker Deployment orders: made version 0.1.0-b current (the deployment had none): "
        + "new workflows on task queue orders run on it");
    assertThat(served.namespaceHeaders()).as("every call names its namespace, as Temporal Cloud's API-key endpoint needs")
        .isNotEmpty().containsOnly(NAMESPACE);
  }

  @Test
  void anotherCurrentVersionIsLeftAsItIs() throws Exception {
    frontend.registered = BOTH;
    frontend.current = "0.1.0-a";

    assertThat(outcomeOf(version(B, false))).isEqualTo(new Result(Outcome.OTHER_CURRENT, "0.1.0-a"));
    assertThat(frontend.sets).isEmpty();
    assertThat(logged()).contains("version 0.1.0-b is ready but not current")
        .contains("the current version 0.1.0-a is left as it is");
  }

  @Test
  void aVersionCurrentAlreadyIsNotSetAgain() throws Exception {
    frontend.registered = BOTH;
    frontend.current = "0.1.0-b";

    assertThat(outcomeOf(version(B, false))).isEqualTo(new Result(Outcome.ALREADY_CURRENT, "0.1.0-b"));
    assertThat(frontend.sets).isEmpty();
    assertThat(logged()).isEqualTo("Worker Deployment orders: version 0.1.0-b is the current version");
  }

  @Test
  void anotherBuildMadeCurrentFirstKeepsIt() throws Exception {
    frontend.registered = BOTH;
    frontend.beforeSet = () -> frontend.change("0.1.0-a"); // between this process's describe and its set

    assertThat(outcomeOf(version(B, false))).isEqualTo(new Result(Outcome.OTHER_CURRENT, "0.1.0-a"));
    assertThat(frontend.sets).hasSize(1);
    assertThat(frontend.current).isEqualTo("0.1.0-a");
  }

  @Test
  void anotherProcessOfTheSameBuildMadeCurrentFirst() throws Exception {
    frontend.registered = BOTH;
    frontend.beforeSet = () -> frontend.change("0.1.0-b");

    assertThat(outcomeOf(version(B, false))).isEqualTo(new Result(Outcome.ALREADY_CURRENT, "0.1.0-b"));
    assertThat(log.list).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.INFO);
  }

  @Test
  void replaceCurrentTakesOverFromAnotherVersionAndSaysWhatWaits() throws Exception {
    frontend.registered = BOTH;
    frontend.current = "0.1.0-a";

    assertThat(outcomeOf(version(B, true))).isEqualTo(new Result(Outcome.REPLACED, "0.1.0-a"));
    assertThat(frontend.current).isEqualTo("0.1.0-b");
    assertThat(log.list.getFirst().getLevel()).isEqualTo(Level.WARN);
    assertThat(logged()).contains("made version 0.1.0-b current in place of 0.1.0-a")
        .contains("workflows pinned to 0.1.0-a wait until a worker of that build runs");
  }

  @Test
  void aTemporalWithoutWorkerDeploymentsIsReportedOnceAndNotAskedAgain() throws Exception {
    frontend.unimplemented = true; // the SDK's in-process test server

    assertThat(outcomeOf(version(B, false)).outcome()).isEqualTo(Outcome.UNSUPPORTED);
    assertThat(frontend.versionDescribes).hasValue(1);
    assertThat(log.list.getFirst().getLevel()).isEqualTo(Level.WARN);
    assertThat(logged()).contains("this Temporal has no Worker Deployments").contains("0.1.0-b not made current");
  }

  @Test
  void anUnreachableTemporalIsRetriedWithOneWarning() throws Exception {
    frontend.registered = BOTH;
    frontend.unavailable.set(3);

    assertThat(outcomeOf(version(B, false)).outcome()).isEqualTo(Outcome.MADE_CURRENT);
    assertThat(log.list).hasSize(2);
    assertThat(log.list.getFirst().getLevel()).isEqualTo(Level.WARN);
    assertThat(log.list.getFirst().getFormattedMessage()).contains("cannot check yet whether version 0.1.0-b is to become current").contains("UNAVAILABLE");
  }

  /** The part of Temporal's frontend that Worker Deployments use, for deployment "orders". */
  static final class Frontend extends InProcessFrontend.Service {

    volatile Set<TaskQueueType> registered = EnumSet.noneOf(TaskQueueType.class);
    volatile String current = "";
    volatile int revision;
    volatile boolean unimplemented;
    volatile Runnable beforeSet = () -> { };
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger versionDescribes = new AtomicInteger();
    final List<SetWorkerDeploymentCurrentVersionRequest> sets = new CopyOnWriteArrayList<>();

    /** Another process changed the current version: the conflict token changes with it. */
    synchronized void change(String build) {
      current = build;
      revision++;
    }

    private ByteString token() {
      return ByteString.copyFromUtf8("t" + revision);
    }

    private boolean refused(StreamObserver<?> response) {
      if (unimplemented) {
        response.onError(Status.UNIMPLEMENTED.withDescription("Worker Versioning not yet supported in test server")
            .asRuntimeException());
        return true;
      }
      if (unavailable.getAndDecrement() > 0) {
        response.onError(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
        return true;
      }
      return false;
    }

    @Override
    public void describeWorkerDeploymentVersion(DescribeWorkerDeploymentVersionRequest request,
        StreamObserver<DescribeWorkerDeploymentVersionResponse> response) {
      versionDescribes.incrementAndGet();
      if (refused(response)) {
        return;
      }
      if (registered.isEmpty()) {
        response.onError(Status.NOT_FOUND.withDescription("version not found").asRuntimeException());
        return;
      }
      WorkerDeploymentVersionInfo.Builder info = WorkerDeploymentVersionInfo.newBuilder()
          .setDeploymentVersion(request.getDeploymentVersion());
      registered.forEach(type -> info.addTaskQueueInfos(VersionTaskQueueInfo.newBuilder().setName("orders").setType(type)));
      info.addTaskQueueInfos(VersionTaskQueueInfo.newBuilder().setName("other").setType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY));
      response.onNext(DescribeWorkerDeploymentVersionResponse.newBuilder().setWorkerDeploymentVersionInfo(info).build());
      response.onCompleted();
    }

    @Override
    public synchronized void describeWorkerDeployment(DescribeWorkerDeploymentRequest request,
        StreamObserver<DescribeWorkerDeploymentResponse> response) {
      if (refused(response)) {
        return;
      }
      RoutingConfig.Builder routing = RoutingConfig.newBuilder();
      if (!current.isEmpty()) {
        routing.setCurrentDeploymentVersion(io.temporal.api.deployment.v1.WorkerDeploymentVersion.newBuilder()
            .setDeploymentName(request.getDeploymentName()).setBuildId(current));
      }
      response.onNext(DescribeWorkerDeploymentResponse.newBuilder()
          .setWorkerDeploymentInfo(WorkerDeploymentInfo.newBuilder().setName(request.getDeploymentName()).setRoutingConfig(routing))
          .setConflictToken(token())
          .build());
      response.onCompleted();
    }

    @Override
    public void setWorkerDeploymentCurrentVersion(SetWorkerDeploymentCurrentVersionRequest request,
        StreamObserver<SetWorkerDeploymentCurrentVersionResponse> response) {
      sets.add(request);
      beforeSet.run();
      beforeSet = () -> { };
      synchronized (this) {
        if (!request.getConflictToken().equals(token())) {
          response.onError(Status.FAILED_PRECONDITION.withDescription("conflict token mismatch").asRuntimeException());
          return;
        }
        change(request.getBuildId());
      }
      response.onNext(SetWorkerDeploymentCurrentVersionResponse.newBuilder().setConflictToken(token()).build());
      response.onCompleted();
    }
  }
}
