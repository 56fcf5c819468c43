package com.example.orders.devtools.faults;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;

/**
 * Wraps the api's Temporal client: an armed CRASH fault at {@code submitOrder.beforeWorkflowStart}
 * or {@code submitOrder.afterWorkflowStart} kills the api right before or right after it starts an
 * order workflow, before it writes the order row: the crash the submission must heal.
 */
class FaultInjectingClient extends WorkflowClientInterceptorBase {

  private final FaultInjector faults;

  FaultInjectingClient(FaultInjector faults) {
    this.faults = faults;
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    return new WorkflowClientCallsInterceptorBase(next) {
      @Override
      public WorkflowStartOutput start(WorkflowStartInput input) {
        String workflowId = input.getWorkflowId();
        String orderId = workflowId.startsWith(OrderContract.WORKFLOW_ID_PREFIX)
            ? workflowId.substring(OrderContract.WORKFLOW_ID_PREFIX.length())
            : workflowId;
        faults.maybeCrash("submitOrder.beforeWorkflowStart", orderId);
        WorkflowStartOutput output = super.start(input);
        faults.maybeCrash("submitOrder.afterWorkflowStart", orderId);
        return output;
      }
    };
  }
}
