package com.example.orders.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.orders.temporal.InProcessFrontend;
import com.example.orders.workflows.order.OrderContract;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
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
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The workers make their own build current in a new deployment: the version their worker of task
 * queue "orders" polls as, asked of a fake Temporal frontend served in process (gRPC), where no
 * version is current yet.
 */
class CurrentVersionIfNoneTests {

  private static final String NAMESPACE = "orders-test";
  private static final WorkerDeploymentVersion BUILD = new WorkerDeploymentVersion("orders", "0.1.0-SNAPSHOT-abc123");

  private final Frontend frontend = new Frontend();
  private final WorkerFactory factory = mock(WorkerFactory.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CurrentVersionIfNone.class);
  private InProcessFrontend served;
  private WorkflowClient client;

  @BeforeEach
  void startFrontend() throws Exception {
    served = InProcessFrontend.serve(frontend);
    client = WorkflowClient.newInstance(served.stubs(), WorkflowClientOptions.newBuilder()
        .setNamespace(NAMESPACE).setIdentity("42@workers-1").build());
    logger.addAppender(log);
    log.start();
  }

  @AfterEach
  void stopFrontend() throws InterruptedException {
    logger.detachAppender(log);
    served.close();
  }

  private void workerPollsAs(WorkerDeploymentOptions deployment) {
    Worker worker = mock(Worker.class);
    when(worker.getWorkerOptions()).thenReturn(WorkerOptions.newBuilder().setDeploymentOptions(deployment).build());
    when(factory.getWorker(OrderContract.TASK_QUEUE)).thenReturn(worker);
  }

  private static WorkerDeploymentOptions versioned() {
    return WorkerDeploymentOptions.newBuilder().setUseVersioning(true).setVersion(BUILD).build();
  }

  @Test
  void theWorkersBuildIsMadeCurrentOnceItPollsBothQueues() throws Exception {
    workerPollsAs(versioned());
    CurrentVersionIfNone current = new CurrentVersionIfNone(factory, client, true, false);

    current.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> !frontend.sets.isEmpty());
    SetWorkerDeploymentCurrentVersionRequest set = frontend.sets.getFirst();
    assertThat(set.getNamespace()).isEqualTo(NAMESPACE);
    assertThat(set.getDeploymentName()).isEqualTo("orders");
    assertThat(set.getBuildId()).isEqualTo("0.1.0-SNAPSHOT-abc123");
    assertThat(set.getIdentity()).isEqualTo("42@workers-1");
    assertThat(frontend.versionDescribes.get()).as("NOT_FOUND until the worker's first polls, then both queues")
        .isGreaterThanOrEqualTo(2);
    current.stop();
  }

  @Test
  void switchedOffItSaysSoAndLeavesTheDeploymentAlone() throws Exception {
    workerPollsAs(versioned());

    new CurrentVersionIfNone(factory, client, false, false).start();

    assertThat(log.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
        .isEqualTo("Worker Deployment orders: version 0.1.0-SNAPSHOT-abc123 not made current by this process "
            + "(ORDERS_DEPLOYMENT_MAKE_CURRENT_IF_NONE=false)");
    Thread.sleep(100);
    assertThat(frontend.versionDescribes).hasValue(0);
  }

  @Test
  void anUnversionedWorkerHasNoVersionToMakeCurrent() throws Exception {
    workerPollsAs(WorkerDeploymentOptions.newBuilder().setUseVersioning(false).setVersion(BUILD).build());

    new CurrentVersionIfNone(factory, client, true, false).start();

    Thread.sleep(100);
    assertThat(frontend.versionDescribes).hasValue(0);
    assertThat(log.list).isEmpty();
  }

  @Test
  void stoppingTheProcessEndsTheWaitForAVersionNeverRegistered() throws Exception {
    workerPollsAs(versioned());
    frontend.pollers = false; // e.g. spring.temporal.start-workers=false
    CurrentVersionIfNone current = new CurrentVersionIfNone(factory, client, true, false);
    current.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> frontend.versionDescribes.get() >= 2);

    long started = System.nanoTime();
    current.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    int describes = frontend.versionDescribes.get();
    Thread.sleep(CurrentVersionIfNone.INTERVAL.toMillis() + 200);
    assertThat(frontend.versionDescribes).hasValue(describes);
    assertThat(frontend.sets).isEmpty();
  }

  @Test
  void byDefaultTheApplicationLooksAtTheDeploymentAndReplacesNoCurrentVersion() {
    workerPollsAs(versioned());
    frontend.current = "0.1.0-SNAPSHOT-older";
    // the component alone, with the workers' application.yml: make-current-if-none on, replace-current off
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CurrentVersionIfNone.class)
        .web(WebApplicationType.NONE)
        .initializers(app -> {
          ((GenericApplicationContext) app).registerBean(WorkflowClient.class, () -> client);
          ((GenericApplicationContext) app).registerBean(WorkerFactory.class, () -> factory);
        })
        .run()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> frontend.deploymentDescribes.get() > 0);
      Thread.sleep(100);
      assertThat(frontend.sets).as("a current version exists: left to the rollout").isEmpty();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The part of Temporal's frontend that Worker Deployments use: deployment "orders", registered after two polls. */
  static final class Frontend extends InProcessFrontend.Service {

    volatile boolean pollers = true;
    volatile String current = "";
    final AtomicInteger versionDescribes = new AtomicInteger();
    final AtomicInteger deploymentDescribes = new AtomicInteger();
    final List<SetWorkerDeploymentCurrentVersionRequest> sets = new CopyOnWriteArrayList<>();

    @Override
    public void describeWorkerDeploymentVersion(DescribeWorkerDeploymentVersionRequest request,
        StreamObserver<DescribeWorkerDeploymentVersionResponse> response) {
      if (versionDescribes.incrementAndGet() < 2 || !pollers) {
        response.onError(Status.NOT_FOUND.withDescription("version not found").asRuntimeException());
        return;
      }
      WorkerDeploymentVersionInfo.Builder info = WorkerDeploymentVersionInfo.newBuilder()
          .setDeploymentVersion(request.getDeploymentVersion());
      for (TaskQueueType type : List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
        info.addTaskQueueInfos(VersionTaskQueueInfo.newBuilder().setName(OrderContract.TASK_QUEUE).setType(type));
      }
      response.onNext(DescribeWorkerDeploymentVersionResponse.newBuilder().setWorkerDeploymentVersionInfo(info).build());
      response.onCompleted();
    }

    @Override
    public void describeWorkerDeployment(DescribeWorkerDeploymentRequest request,
        StreamObserver<DescribeWorkerDeploymentResponse> response) {
      deploymentDescribes.incrementAndGet();
      WorkerDeploymentInfo.Builder info = WorkerDeploymentInfo.newBuilder().setName(request.getDeploymentName());
      if (!current.isEmpty()) {
        info.getRoutingConfigBuilder().setCurrentDeploymentVersion(io.temporal.api.deployment.v1.WorkerDeploymentVersion
            .newBuilder().setDeploymentName(request.getDeploymentName()).setBuildId(current));
      }
      response.onNext(DescribeWorkerDeploymentResponse.newBuilder().setWorkerDeploymentInfo(info).build());
      response.onCompleted();
    }

    @Override
    public void setWorkerDeploymentCurrentVersion(SetWorkerDeploymentCurrentVersionRequest request,
        StreamObserver<SetWorkerDeploymentCurrentVersionResponse> response) {
      sets.add(request);
      current = request.getBuildId();
      response.onNext(SetWorkerDeploymentCurrentVersionResponse.getDefaultInstance());
      response.onCompleted();
    }
  }
}
