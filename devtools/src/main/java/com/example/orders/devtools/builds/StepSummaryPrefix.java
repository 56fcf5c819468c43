package com.example.orders.devtools.builds;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;

/**
 * Puts a label in front of the summary of every activity and local activity a workflow of this
 * process schedules ("B: charge 100.00 USD to user_1"): a second build of the same workers jar that
 * behaves observably differently, in the event history and the Web UI, without a change to the
 * workflow code. Summaries are not part of replay, so both builds replay each other's histories.
 */
final class StepSummaryPrefix extends WorkerInterceptorBase {

  private final String prefix;

  StepSummaryPrefix(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new Prefixing(outboundCalls));
      }
    };
  }

  private final class Prefixing extends WorkflowOutboundCallsInterceptorBase {

    Prefixing(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      ActivityOptions options = ActivityOptions.newBuilder(input.getOptions())
          .setSummary(prefixed(input.getOptions().getSummary(), input.getActivityName())).build();
      return super.executeActivity(new ActivityInput<>(input.getActivityName(), input.getResultClass(),
          input.getResultType(), input.getArgs(), options, input.getHeader()));
    }

    @Override
    public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
      LocalActivityOptions options = LocalActivityOptions.newBuilder(input.getOptions())
          .setSummary(prefixed(input.getOptions().getSummary(), input.getActivityName())).build();
      return super.executeLocalActivity(new LocalActivityInput<>(input.getActivityName(), input.getResultClass(),
          input.getResultType(), input.getArgs(), options, input.getHeader()));
    }

    private String prefixed(String summary, String activityName) {
      return prefix + (summary == null || summary.isEmpty() ? activityName : summary);
    }
  }
}
