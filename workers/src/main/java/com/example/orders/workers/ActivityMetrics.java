package com.example.orders.workers;

import com.example.orders.workflows.order.SagaStep;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Times every activity attempt as {@code orders.step.duration}, labelled with the activity
 * ({@code step}), what it is ({@code kind}: forward step, compensation, or the saga's own record)
 * and how it ended ({@code outcome}: succeeded, refused for a business reason, or failed and to be
 * retried). Compensations that keep failing show as kind=compensation, outcome=failed. Temporal's
 * auto-configuration registers every WorkerInterceptor bean on the worker.
 */
@Component
class ActivityMetrics extends WorkerInterceptorBase {

  private static final Set<String> FORWARD = SagaStep.IN_ORDER.stream().map(SagaStep::activityName)
      .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> COMPENSATIONS = SagaStep.IN_ORDER.stream().map(SagaStep::compensationName)
      .filter(name -> name != null).collect(Collectors.toUnmodifiableSet());

  private final MeterRegistry registry;

  ActivityMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String step;

      @Override
      public void init(ActivityExecutionContext context) {
        step = context.getInfo().getActivityType();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
          ActivityOutput output = super.execute(input);
          outcome = "succeeded";
          return output;
        } catch (ApplicationFailure failure) {
          outcome = failure.isNonRetryable() ? "refused" : "failed";
          throw failure;
        } finally {
          Timer.builder("orders.step.duration")
              .tag("step", step)
              .tag("kind", FORWARD.contains(step) ? "forward" : COMPENSATIONS.contains(step) ? "compensation" : "record")
              .tag("outcome", outcome)
              .publishPercentileHistogram() // buckets, so that Prometheus computes quantiles across workers
              .minimumExpectedValue(java.time.Duration.ofMillis(1))
              .maximumExpectedValue(java.time.Duration.ofSeconds(30))
              .register(registry)
              .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
      }
    };
  }
}
