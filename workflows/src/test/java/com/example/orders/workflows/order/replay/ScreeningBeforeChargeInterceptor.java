package com.example.orders.workflows.order.replay;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import java.time.Duration;

/**
 * Turns the real OrderWorkflowImpl into the change a developer might slip in without recording a
 * new generation: a new activity, {@value #SCREENING}, called right before chargePayment (a local
 * activity, or an activity task once its local tries are spent). An interceptor rather than an
 * edited copy, so that the test uses the real workflow and the only difference is the added call.
 */
final class ScreeningBeforeChargeInterceptor extends WorkerInterceptorBase {

  static final String SCREENING = "screenOrderForFraud";

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new WorkflowOutboundCallsInterceptorBase(outboundCalls) {
          @Override
          public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
            if (input.getActivityName().equals("chargePayment")) {
              super.executeActivity(new ActivityInput<>(SCREENING, Void.class, Void.class,
                  input.getArgs(), input.getOptions(), input.getHeader())).getResult().get();
            }
            return super.executeActivity(input);
          }

          @Override
          public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
            if (input.getActivityName().equals("chargePayment")) {
              super.executeActivity(new ActivityInput<>(SCREENING, Void.class, Void.class, input.getArgs(),
                  ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build(),
                  input.getHeader())).getResult().get();
            }
            return super.executeLocalActivity(input);
          }
        });
      }
    };
  }
}
