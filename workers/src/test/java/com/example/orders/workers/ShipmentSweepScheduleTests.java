package com.example.orders.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.orders.temporal.InProcessFrontend;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.shipping.ShipmentDeadlineSweep;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleAction;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.ScheduleState;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleResponse;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
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
 * The schedule of the shipment deadline sweep, as the Temporal frontend receives it. The frontend is a
 * fake served in process (gRPC): it records the schedule requests and answers as Temporal would.
 */
class ShipmentSweepScheduleTests {

  private static final String NAMESPACE = "orders-test";
  private static final String OPERATORS_NOTE = "Paused by an operator: the carrier's events are delayed";

  private final Frontend frontend = new Frontend();
  private InProcessFrontend served;
  private WorkflowClient client;

  @BeforeEach
  void startFrontend() throws Exception {
    served = InProcessFrontend.serve(frontend);
    client = WorkflowClient.newInstance(served.stubs(), WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
  }

  @AfterEach
  void stopFrontend() throws InterruptedException {
    served.close();
  }

  @Test
  void anIntervalUnderASecondIsRefusedAtStartWithTheSettingToChange() {
    for (Duration tooShort : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5))) {
      assertThatThrownBy(() -> new ShipmentSweepSchedule(client, tooShort))
          .as("%s", tooShort)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ORDERS_SHIPMENT_SWEEP_INTERVAL")
          .hasMessageContaining("1s or more");
    }
    new ShipmentSweepSchedule(client, Duration.ofSeconds(1)); // the smallest accepted
  }

  @Test
  void theFirstWorkersProcessCreatesTheScheduleOfTheSweep() {
    new ShipmentSweepSchedule(client, Duration.ofMinutes(5)).keepScheduled();

    await().atMost(Duration.ofSeconds(5)).until(() -> !frontend.creates.isEmpty());
    CreateScheduleRequest create = frontend.creates.getFirst();
    assertThat(create.getNamespace()).isEqualTo(NAMESPACE);
    assertThat(create.getScheduleId()).isEqualTo("shipment-deadline-sweep").isEqualTo(ShipmentDeadlineSweep.SCHEDULE_ID);
    Schedule schedule = create.getSchedule();
    assertThat(schedule.getSpec().getIntervalList()).singleElement()
        .satisfies(interval -> assertThat(interval.getInterval().getSeconds()).isEqualTo(300));
    NewWorkflowExecutionInfo start = schedule.getAction().getStartWorkflow();
    assertThat(start.getWorkflowType().getName()).isEqualTo("ShipmentDeadlineSweep");
    assertThat(start.getTaskQueue().getName()).isEqualTo(OrderContract.TASK_QUEUE).isEqualTo("orders");
    assertThat(start.getWorkflowId()).isEqualTo(ShipmentDeadlineSweep.SCHEDULE_ID);
    // a sweep still running when the next is due: the next is skipped, two never run at once
    assertThat(schedule.getPolicies().getOverlapPolicy()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(schedule.getState().getPaused()).isFalse();
    assertThat(schedule.getState().getNotes()).contains("LOST").contains("Created by the workers");
    assertThat(frontend.updates).isEmpty();
  }

  @Test
  void aLaterStartBringsTheIntervalToItsSettingAndKeepsAnOperatorsPause() {
    frontend.existing = existingSchedule(Duration.ofMinutes(5), true, OPERATORS_NOTE);

    new ShipmentSweepSchedule(client, Duration.ofSeconds(90)).keepScheduled();

    await().atMost(Duration.ofSeconds(5)).until(() -> !frontend.updates.isEmpty());
    UpdateScheduleRequest update = frontend.updates.getFirst();
    assertThat(update.getNamespace()).isEqualTo(NAMESPACE);
    assertThat(update.getScheduleId()).isEqualTo(ShipmentDeadlineSweep.SCHEDULE_ID);
    Schedule schedule = update.getSchedule();
    assertThat(schedule.getSpec().getIntervalList()).singleElement()
        .satisfies(interval -> assertThat(interval.getInterval().getSeconds()).isEqualTo(90));
    assertThat(schedule.getAction().getStartWorkflow().getWorkflowType().getName()).isEqualTo("ShipmentDeadlineSweep");
    assertThat(schedule.getAction().getStartWorkflow().getTaskQueue().getName()).isEqualTo("orders");
    assertThat(schedule.getState().getPaused()).as("the operator's pause").isTrue();
    assertThat(schedule.getState().getNotes()).isEqualTo(OPERATORS_NOTE);
    assertThat(frontend.creates).hasSize(1);
  }

  @Test
  void startingDoesNotWaitForTemporalAndKeepsTryingUntilItAnswers() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(ShipmentSweepSchedule.class);
    logger.addAppender(log);
    log.start();
    try {
      frontend.refusals.set(1); // e.g. a client not yet allowed to manage schedules in its namespace

      long started = System.nanoTime();
      new ShipmentSweepSchedule(client, Duration.ofMinutes(5), Duration.ofMillis(500)).keepScheduled();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

      await().atMost(Duration.ofSeconds(5)).until(() -> frontend.creates.size() == 1);
      await().atMost(Duration.ofSeconds(2)).until(() -> !log.list.isEmpty());
      ILoggingEvent warning = log.list.getFirst();
      assertThat(warning.getLevel()).isEqualTo(Level.WARN);
      assertThat(warning.getFormattedMessage()).contains("shipment-deadline-sweep").contains("no overdue shipment is declared LOST");

      // the next attempt comes a retry interval later (10 s in the workers), in the background, and succeeds
      await().atMost(Duration.ofSeconds(5)).until(() -> frontend.creates.size() == 2);
      assertThat(frontend.created).hasValue(1);
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void aStartedApplicationSchedulesTheSweepAtTheDefaultIntervalOfFiveMinutes() {
    // ShipmentSweepSchedule alone, with the workers' application.yml and a client of the fake frontend
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShipmentSweepSchedule.class)
        .web(WebApplicationType.NONE)
        .initializers(app -> ((GenericApplicationContext) app).registerBean(WorkflowClient.class, () -> client))
        .run()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !frontend.creates.isEmpty());
      assertThat(frontend.creates.getFirst().getSchedule().getSpec().getInterval(0).getInterval().getSeconds())
          .as("orders.shipment.sweep-interval's default in application.yml").isEqualTo(300);
    }
  }

  private static Schedule existingSchedule(Duration interval, boolean paused, String notes) {
    return Schedule.newBuilder()
        .setSpec(ScheduleSpec.newBuilder().addInterval(IntervalSpec.newBuilder()
            .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(interval.toSeconds()))))
        .setAction(ScheduleAction.newBuilder().setStartWorkflow(NewWorkflowExecutionInfo.newBuilder()
            .setWorkflowId(ShipmentDeadlineSweep.SCHEDULE_ID)
            .setWorkflowType(WorkflowType.newBuilder().setName(ShipmentDeadlineSweep.WORKFLOW_TYPE))
            .setTaskQueue(TaskQueue.newBuilder().setName(OrderContract.TASK_QUEUE))))
        .setPolicies(SchedulePolicies.newBuilder().setOverlapPolicy(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP))
        .setState(ScheduleState.newBuilder().setPaused(paused).setNotes(notes))
        .build();
  }

  /** The part of Temporal's frontend that schedules use. */
  static final class Frontend extends InProcessFrontend.Service {

    final List<CreateScheduleRequest> creates = new CopyOnWriteArrayList<>();
    final List<UpdateScheduleRequest> updates = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();
    final AtomicInteger created = new AtomicInteger();
    volatile Schedule existing;

    @Override
    public void createSchedule(CreateScheduleRequest request, StreamObserver<CreateScheduleResponse> response) {
      creates.add(request);
      if (refusals.getAndDecrement() > 0) {
        response.onError(Status.PERMISSION_DENIED.withDescription("not allowed to create schedules").asRuntimeException());
      } else if (existing != null) {
        response.onError(Status.ALREADY_EXISTS.withDescription("schedule is already running").asRuntimeException());
      } else {
        existing = request.getSchedule();
        created.incrementAndGet();
        response.onNext(CreateScheduleResponse.newBuilder().setConflictToken(ByteString.copyFromUtf8("v1")).build());
        response.onCompleted();
      }
    }

    @Override
    public void describeSchedule(DescribeScheduleRequest request, StreamObserver<DescribeScheduleResponse> response) {
      response.onNext(DescribeScheduleResponse.newBuilder()
          .setSchedule(existing)
          .setConflictToken(ByteString.copyFromUtf8("v7"))
          .build());
      response.onCompleted();
    }

    @Override
    public void updateSchedule(UpdateScheduleRequest request, StreamObserver<UpdateScheduleResponse> response) {
      updates.add(request);
      existing = request.getSchedule();
      response.onNext(UpdateScheduleResponse.getDefaultInstance());
      response.onCompleted();
    }
  }
}
