package com.example.orders.devtools.faults;

import com.example.orders.workflows.order.OrderRequest;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Wraps every activity of the workers process, local ones too: an armed BEFORE fault fails the
 * attempt before the activity runs, an armed AFTER_COMMIT fault fails it after the activity returned
 * (its transaction committed), which is the crash between commit and report that retries must
 * survive, and an armed CRASH halts the process there, so the workflow task running it is lost.
 */
class FaultInjectingActivities extends WorkerInterceptorBase {

  private final FaultInjector faults;

  FaultInjectingActivities(FaultInjector faults) {
    this.faults = faults;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String activityType;

      @Override
      public void init(ActivityExecutionContext context) {
        activityType = context.getInfo().getActivityType();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String orderId = orderId(input.getArguments());
        faults.beforeActivity(activityType, orderId);
        ActivityOutput output = super.execute(input);
        faults.afterActivityCommit(activityType, orderId);
        return output;
      }
    };
  }

  /** Every order activity takes the order id or the order itself first. */
  private static String orderId(Object[] arguments) {
    if (arguments.length == 0) {
      return null;
    }
    if (arguments[0] instanceof OrderRequest order) {
      return order.orderId();
    }
    return arguments[0] instanceof String id ? id : null;
  }
}
