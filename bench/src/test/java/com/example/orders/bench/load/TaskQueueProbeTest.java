package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.temporal.InProcessFrontend;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backlog probe against a fake Temporal frontend served in process. */
class TaskQueueProbeTest {

  /** Answers DescribeTaskQueue for task queue "orders" with 3 workflow and 5 activity tasks backlogged. */
  private static final class Frontend extends InProcessFrontend.Service {
    volatile boolean unavailable;
    final List<String> namespaces = new CopyOnWriteArrayList<>();

    @Override
    public void describeTaskQueue(DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> response) {
      namespaces.add(request.getNamespace());
      if (unavailable || !request.getTaskQueue().getName().equals("orders") || !request.getReportStats()) {
        response.onError(Status.UNAVAILABLE.asRuntimeException());
        return;
      }
      long backlog = request.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? 3 : 5;
      response.onNext(DescribeTaskQueueResponse.newBuilder()
          .setStats(TaskQueueStats.newBuilder().setApproximateBacklogCount(backlog)).build());
      response.onCompleted();
    }
  }

  private final Frontend frontend = new Frontend();
  private InProcessFrontend served;
  private TaskQueueProbe probe;

  @BeforeEach
  void startFrontend() throws Exception {
    served = InProcessFrontend.serve(frontend);
    probe = new TaskQueueProbe(served.stubs(), "orders-test");
  }

  @AfterEach
  void stopFrontend() throws InterruptedException {
    probe.close();
    served.close();
  }

  @Test
  void countsBothQueuesOfTheNamespaceAndNamesItInTheHeader() {
    TaskQueueProbe.Backlog backlog = probe.backlog();

    assertThat(backlog.workflowTasks()).isEqualTo(3);
    assertThat(backlog.activityTasks()).isEqualTo(5);
    assertThat(backlog.total()).isEqualTo(8);
    assertThat(frontend.namespaces).containsExactly("orders-test", "orders-test");
    // Temporal Cloud's API-key endpoint routes by the header, not by the request's field
    assertThat(served.namespaceHeaders()).containsExactly("orders-test", "orders-test");
  }

  @Test
  void aTemporalThatDoesNotAnswerGivesAnUnknownBacklog() {
    frontend.unavailable = true;

    TaskQueueProbe.Backlog backlog = probe.backlog();

    assertThat(backlog.workflowTasks()).isEqualTo(-1);
    assertThat(backlog.total()).isEqualTo(-1);
  }
}
