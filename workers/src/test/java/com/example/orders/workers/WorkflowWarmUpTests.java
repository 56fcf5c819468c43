package com.example.orders.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import com.example.orders.temporal.InProcessFrontend;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.shipping.ShipmentDeadlineSweepImpl;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up replays what is bundled under warm-up/ on this build's workflows, calls nothing, and
 * never stops a start. A workflow change that makes the bundled histories stale fails the first test:
 * record the new generation, which renews warm-up/ (docs/changing-workflows.md).
 */
class WorkflowWarmUpTests {

  private InProcessFrontend served;
  private WorkerFactory factory;

  @BeforeEach
  void workerOfThisBuild() throws Exception {
    // a frontend that answers nothing but the SDK's GetSystemInfo: any call the warm-up made would fail
    served = InProcessFrontend.serve(new InProcessFrontend.Service() {});
    factory = WorkerFactory.newInstance(WorkflowClient.newInstance(served.stubs()));
    factory.newWorker(OrderContract.TASK_QUEUE).registerWorkflowImplementationTypes(
        OrderWorkflowImpl.class, ShipmentWorkflowImpl.class, ShipmentDeadlineSweepImpl.class);
  }

  @AfterEach
  void stop() throws Exception {
    factory.shutdownNow();
    served.close();
  }

  @Test
  void everyBundledHistoryReplaysOnThisBuildWithoutCallingTemporal() {
    List<WorkflowExecutionHistory> histories = WorkflowWarmUp.bundledHistories();

    assertThat(histories).extracting(h -> h.getEvents().getFirst()
            .getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName())
        .as("orders and shipments, the workflows of every order").contains("OrderWorkflow", "ShipmentWorkflow");
    assertThat(new WorkflowWarmUp(factory, 2).warmUp(histories)).isEqualTo(2 * histories.size());
    assertThat(served.namespaceHeaders()).as("calls to Temporal").isEmpty();
  }

  @Test
  void aHistoryThisBuildCannotReplayEndsTheWarmUpQuietly() {
    WorkflowExecutionHistory first = WorkflowWarmUp.bundledHistories().getFirst();
    History.Builder stale = first.getHistory().toBuilder();
    HistoryEvent.Builder started = stale.getEventsBuilder(0);
    started.getWorkflowExecutionStartedEventAttributesBuilder().getWorkflowTypeBuilder().setName("RetiredWorkflow");

    int replays = new WorkflowWarmUp(factory, 3).warmUp(List.of(first, new WorkflowExecutionHistory(stale.build(), "stale")));

    assertThat(replays).as("the replays before the stale history").isEqualTo(1);
  }

  @Test
  void zeroRoundsSkipsTheWarmUp() {
    WorkerFactory untouched = mock(WorkerFactory.class);

    new WorkflowWarmUp(untouched, 0).afterSingletonsInstantiated();

    verifyNoInteractions(untouched);
  }
}
