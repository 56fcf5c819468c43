package com.example.orders.bench.load;

import com.example.orders.temporal.NamespaceHeader;
import com.example.orders.temporal.access.TemporalAccess;
import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;

/**
 * The backlog of task queue "orders" (workflow and activity tasks waiting for a worker), from
 * DescribeTaskQueue with stats: the server's approximate count of tasks not yet dispatched.
 */
final class TaskQueueProbe implements AutoCloseable {

  /** Backlogged workflow tasks and activity tasks; -1 when Temporal did not answer. */
  record Backlog(long workflowTasks, long activityTasks) {
    long total() {
      return workflowTasks < 0 || activityTasks < 0 ? -1 : workflowTasks + activityTasks;
    }
  }

  private final WorkflowServiceStubs stubs;
  private final String namespace;

  TaskQueueProbe(String target, String namespace, TemporalAccess access) {
    this(WorkflowServiceStubs.newServiceStubs(
        access.configure(WorkflowServiceStubsOptions.newBuilder().setTarget(target)).build()), namespace);
  }

  TaskQueueProbe(WorkflowServiceStubs stubs, String namespace) {
    this.stubs = stubs;
    this.namespace = namespace;
  }

  Backlog backlog() {
    return new Backlog(count(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), count(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY));
  }

  private long count(TaskQueueType type) {
    try {
      return NamespaceHeader.attach(stubs.blockingStub(), namespace).withDeadlineAfter(2, TimeUnit.SECONDS)
          .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
              .setNamespace(namespace)
              .setTaskQueue(TaskQueue.newBuilder().setName(OrderContract.TASK_QUEUE).build())
              .setTaskQueueType(type)
              .setReportStats(true)
              .build())
          .getStats().getApproximateBacklogCount();
    } catch (RuntimeException unavailable) {
      return -1;
    }
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
