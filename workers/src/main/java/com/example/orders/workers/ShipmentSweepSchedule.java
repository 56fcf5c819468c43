package com.example.orders.workers;

import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.shipping.ShipmentDeadlineSweep;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the Temporal schedule {@value ShipmentDeadlineSweep#SCHEDULE_ID} that runs the deadline sweep
 * every {@code orders.shipment.sweep-interval}: created by the first workers process to start, its
 * interval brought to this process's setting by every start. A pause an operator set in the Web UI is
 * kept. Temporal unreachable at start: retried in the background until it answers.
 */
@Component
class ShipmentSweepSchedule {

  private static final Logger log = LoggerFactory.getLogger(ShipmentSweepSchedule.class);
  private static final Duration RETRY = Duration.ofSeconds(10);

  private final WorkflowClient client;
  private final Duration interval;
  private final Duration retry;

  @Autowired
  ShipmentSweepSchedule(WorkflowClient client, @Value("${orders.shipment.sweep-interval}") Duration interval) {
    this(client, interval, RETRY);
  }

  /** With {@code retry} between attempts while Temporal does not answer (tests shorten it). */
  ShipmentSweepSchedule(WorkflowClient client, Duration interval, Duration retry) {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ORDERS_SHIPMENT_SWEEP_INTERVAL is " + interval
          + ": a Temporal schedule runs at most once a second; set 1s or more (the default is 5m)");
    }
    this.client = client;
    this.interval = interval;
    this.retry = retry;
  }

  @EventListener(ApplicationReadyEvent.class)
  void keepScheduled() {
    Thread.ofVirtual().name("shipment-sweep-schedule").start(() -> {
      for (int attempt = 1; ; attempt++) {
        try {
          createOrUpdate();
          return;
        } catch (RuntimeException e) {
          if (attempt % 30 == 1) { // the first failure, then every 30 attempts (5 minutes)
            log.warn("Cannot create or update the Temporal schedule {} ({} failed attempts: {}); retrying every {} s. "
                + "Until it exists no overdue shipment is declared LOST: check that Temporal is reachable and that "
                + "this client may manage schedules in its namespace.",
                ShipmentDeadlineSweep.SCHEDULE_ID, attempt, e.getMessage(), retry.toSeconds());
          }
          try {
            Thread.sleep(retry);
          } catch (InterruptedException interrupted) {
            return;
          }
        }
      }
    });
  }

  private void createOrUpdate() {
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter())
            .build());
    ScheduleSpec spec = ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(interval))).build();
    ScheduleActionStartWorkflow action = ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(ShipmentDeadlineSweep.class)
        .setOptions(WorkflowOptions.newBuilder()
            .setWorkflowId(ShipmentDeadlineSweep.SCHEDULE_ID) // each run gets the scheduled time appended
            .setTaskQueue(OrderContract.TASK_QUEUE)
            .setStaticSummary("start the tracking of booked shipments past their delivery deadline")
            .build())
        .build();
    try {
      schedules.createSchedule(ShipmentDeadlineSweep.SCHEDULE_ID, Schedule.newBuilder()
              .setAction(action)
              .setSpec(spec)
              // a sweep still running when the next is due: the next is skipped, never run twice at once
              .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
              .setState(ScheduleState.newBuilder().setNote("Booked shipments no carrier event reached by their "
                  + "delivery deadline become LOST and are refunded. Created by the workers.").build())
              .build(),
          ScheduleOptions.newBuilder().build());
      log.info("Created the Temporal schedule {}: the shipment deadline sweep every {}", ShipmentDeadlineSweep.SCHEDULE_ID,
          interval);
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(ShipmentDeadlineSweep.SCHEDULE_ID).update(current -> new ScheduleUpdate(
          Schedule.newBuilder(current.getDescription().getSchedule()).setSpec(spec).setAction(action).build()));
      log.info("Temporal schedule {}: the shipment deadline sweep every {}", ShipmentDeadlineSweep.SCHEDULE_ID, interval);
    }
  }
}
