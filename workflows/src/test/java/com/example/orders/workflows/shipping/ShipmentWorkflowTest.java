package com.example.orders.workflows.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delivery tracking of {@link ShipmentWorkflowImpl} on the test server in real time, activities
 * mocked; the deadline test uses a deadline of two seconds. Each test sends its first carrier event
 * right after the start, so it may land in the workflow's first task (see ShipmentWorkflowImpl's
 * constructor).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShipmentWorkflowTest {

  private static final String TASK_QUEUE = "shipments-test";

  private static final String ORDER_ID = "2001";
  private static final String TRACKING = "TRK-2001";
  /** An order of its own: shipment-<ORDER_ID> is taken by the tracking every test starts. */
  private static final String LATE_ORDER_ID = "2002";
  private static final CarrierEvent DISPATCHED = new CarrierEvent("evt-1", "DISPATCHED", "2026-12-01T10:00:00Z");
  private static final CarrierEvent DELIVERED = new CarrierEvent("evt-2", "DELIVERED", "2026-12-02T10:00:00Z");

  private ShippingActivities shipping;
  private ShipmentSweepActivities sweep;
  private TestWorkflowEnvironment testEnv;
  private ShipmentWorkflow workflow;

  @BeforeEach
  void setUp() {
    testEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = testEnv.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ShipmentWorkflowImpl.class, ShipmentDeadlineSweepImpl.class);
    shipping = mock(ShippingActivities.class, withSettings().withoutAnnotations());
    sweep = mock(ShipmentSweepActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(shipping, sweep);
    testEnv.start();
    workflow = track(Duration.ofDays(14));
  }

  @AfterEach
  void stop() {
    testEnv.close();
  }

  private ShipmentWorkflow track(Duration deliveryWithin) {
    ShipmentWorkflow tracker = testEnv.getWorkflowClient().newWorkflowStub(ShipmentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(ShipmentWorkflow.workflowId(ORDER_ID)).build());
    String deadline = Instant.ofEpochMilli(testEnv.currentTimeMillis()).plus(deliveryWithin).toString();
    WorkflowClient.start(tracker::track, new ShipmentTracking(ORDER_ID, TRACKING, deadline));
    return tracker;
  }

  @Test
  void carrierEventsMoveItToDeliveredAndARepeatChangesNothing() {
    assertThat(workflow.carrierEvent(DISPATCHED).status()).isEqualTo(ShipmentState.DISPATCHED);
    assertThat(workflow.carrierEvent(DISPATCHED)).as("the same event again: the same answer")
        .isEqualTo(new ShipmentState(TRACKING, ShipmentState.DISPATCHED, java.util.List.of(DISPATCHED)));
    assertThat(workflow.carrierEvent(DELIVERED).status()).isEqualTo(ShipmentState.DELIVERED);

    ShipmentState result = WorkflowStub.fromTyped(workflow).getResult(ShipmentState.class);
    assertThat(result.status()).isEqualTo(ShipmentState.DELIVERED);
    assertThat(result.events()).containsExactly(DISPATCHED, DELIVERED);
    verify(shipping, times(1)).recordShipmentEvent(TRACKING, DISPATCHED, ShipmentState.DISPATCHED);
    verify(shipping, times(1)).recordShipmentEvent(TRACKING, DELIVERED, ShipmentState.DELIVERED);
    verify(shipping, never()).refundLostShipment(anyString());
  }

  @Test
  void anEventThatContradictsTheShipmentIsRefused() {
    workflow.carrierEvent(DISPATCHED);
    assertThrows(WorkflowUpdateException.class,
        () -> workflow.carrierEvent(new CarrierEvent("evt-9", "DISPATCHED", "2026-12-01T11:00:00Z")));
    assertThat(workflow.state().status()).isEqualTo(ShipmentState.DISPATCHED);
    verify(shipping, times(1)).recordShipmentEvent(anyString(), any(), anyString());
  }

  @Test
  void anEventOfAnUnknownTypeIsRefused() {
    assertThrows(WorkflowUpdateException.class,
        () -> workflow.carrierEvent(new CarrierEvent("evt-10", "RETURNED", "2026-12-01T11:00:00Z")));
    assertThat(workflow.state().status()).isEqualTo(ShipmentState.BOOKED);
    verify(shipping, never()).recordShipmentEvent(anyString(), any(), anyString());
  }

  @Test
  void notDeliveredByTheDeadlineItIsLostAndRefundedOnce() {
    WorkflowStub.fromTyped(workflow).terminate("this test tracks a shipment with a short deadline instead");
    ShipmentWorkflow shortDeadline = track(Duration.ofSeconds(2));
    shortDeadline.carrierEvent(DISPATCHED);

    ShipmentState result = WorkflowStub.fromTyped(shortDeadline).getResult(ShipmentState.class);

    assertThat(result.status()).isEqualTo(ShipmentState.LOST);
    assertThat(result.events()).containsExactly(DISPATCHED);
    assertThrows(io.temporal.client.WorkflowException.class, () -> shortDeadline.carrierEvent(DELIVERED)); // over: nothing moves it
    verify(shipping, times(1)).refundLostShipment(ORDER_ID);
  }

  @Test
  void aFirstEventAfterTheDeadlineStartsTheTrackingButIsRefusedAndTheShipmentIsLostAndRefundedOnce() throws Exception {
    // what the webhook does with a carrier's first event: update-with-start, here 5 s after the deadline
    ShipmentWorkflow overdue = testEnv.getWorkflowClient().newWorkflowStub(ShipmentWorkflow.class,
        ShipmentWorkflow.startOptions(LATE_ORDER_ID, TRACKING).toBuilder().setTaskQueue(TASK_QUEUE).build());
    String deadline = Instant.ofEpochMilli(testEnv.currentTimeMillis()).minusSeconds(5).toString();

    WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class,
        () -> WorkflowClient.executeUpdateWithStart(overdue::carrierEvent, DELIVERED,
            UpdateOptions.<ShipmentState>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
            new WithStartWorkflowOperation<>(overdue::track, new ShipmentTracking(LATE_ORDER_ID, TRACKING, deadline))));
    assertThat(refused.getCause().getMessage()).contains("not delivered by its deadline");
    ShipmentState result = WorkflowStub.fromTyped(overdue).getResult(30, TimeUnit.SECONDS, ShipmentState.class);

    assertThat(result.status()).isEqualTo(ShipmentState.LOST);
    assertThat(result.events()).isEmpty();
    verify(shipping, never()).recordShipmentEvent(anyString(), any(), anyString());
    verify(shipping, times(1)).refundLostShipment(LATE_ORDER_ID);
  }

  @Test
  void theSweepStartsBatchesUntilOneComesBackShort() {
    org.mockito.Mockito.when(sweep.startTrackingOverdueShipments(ShipmentDeadlineSweepImpl.BATCH))
        .thenReturn(ShipmentDeadlineSweepImpl.BATCH, 3);

    int started = testEnv.getWorkflowClient().newWorkflowStub(ShipmentDeadlineSweep.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("sweep-test").build()).sweep();

    assertThat(started).isEqualTo(ShipmentDeadlineSweepImpl.BATCH + 3);
    verify(sweep, times(2)).startTrackingOverdueShipments(ShipmentDeadlineSweepImpl.BATCH);
  }
}
