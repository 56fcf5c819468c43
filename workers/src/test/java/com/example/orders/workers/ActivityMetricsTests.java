package com.example.orders.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityInput;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityOutput;
import io.temporal.common.interceptors.Header;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every activity attempt is one sample of orders.step.duration, labelled with its step, its kind and how it ended. */
class ActivityMetricsTests {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ActivityMetrics metrics = new ActivityMetrics(registry);

  /** Runs one attempt of {@code activityType} through the interceptor, the activity itself being {@code body}. */
  private ActivityOutput attempt(String activityType, ActivityInboundCallsInterceptor body) {
    ActivityInfo info = mock(ActivityInfo.class);
    when(info.getActivityType()).thenReturn(activityType);
    ActivityExecutionContext context = mock(ActivityExecutionContext.class);
    when(context.getInfo()).thenReturn(info);
    ActivityInboundCallsInterceptor intercepted = metrics.interceptActivity(body);
    intercepted.init(context);
    return intercepted.execute(new ActivityInput(Header.empty(), new Object[] {"order-1"}));
  }

  private static ActivityInboundCallsInterceptor returning(Object result) {
    return new Activity() {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        return new ActivityOutput(result);
      }
    };
  }

  private static ActivityInboundCallsInterceptor throwing(RuntimeException failure) {
    return new Activity() {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        throw failure;
      }
    };
  }

  private abstract static class Activity implements ActivityInboundCallsInterceptor {
    @Override
    public void init(ActivityExecutionContext context) {}
  }

  private Timer timer(String step, String kind, String outcome) {
    return registry.get("orders.step.duration").tag("step", step).tag("kind", kind).tag("outcome", outcome).timer();
  }

  @Test
  void aForwardStepThatSucceedsIsTimedAsSucceededAndItsResultPassesThrough() {
    ActivityOutput output = attempt("reserveInventory", returning("reserved"));

    assertThat(output.getResult()).isEqualTo("reserved");
    Timer timer = timer("reserveInventory", "forward", "succeeded");
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
  }

  @Test
  void aBusinessRefusalIsRefusedAndRethrownUnchanged() {
    ApplicationFailure outOfStock = ApplicationFailure.newNonRetryableFailure("only 100 left", "OUT_OF_STOCK");

    assertThatThrownBy(() -> attempt("reserveInventory", throwing(outOfStock))).isSameAs(outOfStock);
    assertThat(timer("reserveInventory", "forward", "refused").count()).isEqualTo(1);
  }

  @Test
  void aRetryableApplicationFailureIsFailed() {
    ApplicationFailure busy = ApplicationFailure.newFailure("gateway busy", "GATEWAY_BUSY");

    assertThatThrownBy(() -> attempt("chargePayment", throwing(busy))).isSameAs(busy);
    assertThat(timer("chargePayment", "forward", "failed").count()).isEqualTo(1);
    assertThat(registry.find("orders.step.duration").tag("outcome", "refused").timers()).isEmpty();
  }

  @Test
  void anyOtherExceptionIsFailedAndRethrown() {
    IllegalStateException down = new IllegalStateException("database down");

    assertThatThrownBy(() -> attempt("createShipment", throwing(down))).isSameAs(down);
    assertThat(timer("createShipment", "forward", "failed").count()).isEqualTo(1);
  }

  @Test
  void compensationsAreTheirOwnKindAndOneThatKeepsFailingShowsAsFailedCompensations() {
    attempt("refundPayment", returning(null));
    for (int i = 0; i < 3; i++) {
      IllegalStateException down = new IllegalStateException("database down");
      assertThatThrownBy(() -> attempt("releaseInventory", throwing(down))).isSameAs(down);
    }

    assertThat(timer("refundPayment", "compensation", "succeeded").count()).isEqualTo(1);
    assertThat(timer("releaseInventory", "compensation", "failed").count()).isEqualTo(3);
  }

  @Test
  void everyForwardStepAndCompensationOfTheSagaIsRecognised() {
    for (String forward : new String[] {"reserveInventory", "chargePayment", "createShipment", "confirmOrder"}) {
      attempt(forward, returning(null));
      assertThat(timer(forward, "forward", "succeeded").count()).as(forward).isEqualTo(1);
    }
    for (String compensation : new String[] {"releaseInventory", "refundPayment", "cancelShipment"}) {
      attempt(compensation, returning(null));
      assertThat(timer(compensation, "compensation", "succeeded").count()).as(compensation).isEqualTo(1);
    }
  }

  @Test
  void theSagasOwnBookkeepingIsARecord() {
    attempt("markCompensating", returning(null));
    attempt("recordShipmentEvent", returning(null));

    assertThat(timer("markCompensating", "record", "succeeded").count()).isEqualTo(1);
    assertThat(timer("recordShipmentEvent", "record", "succeeded").count()).isEqualTo(1);
  }

  @Test
  void attemptsAddUpOnOneSeriesPerStepKindAndOutcome() {
    attempt("confirmOrder", returning(null));
    attempt("confirmOrder", returning(null));

    assertThat(timer("confirmOrder", "forward", "succeeded").count()).isEqualTo(2);
    assertThat(registry.find("orders.step.duration").timers()).hasSize(1);
  }

  @Test
  void durationsAreScrapedAsHistogramBucketsSoThatQuantilesWorkAcrossWorkers() {
    attempt("reserveInventory", returning(null));

    String scrape = registry.scrape();
    assertThat(scrape).contains(
        "orders_step_duration_seconds_bucket{kind=\"forward\",outcome=\"succeeded\",step=\"reserveInventory\",le=\"0.001\"}");
    assertThat(scrape).contains(
        "orders_step_duration_seconds_bucket{kind=\"forward\",outcome=\"succeeded\",step=\"reserveInventory\",le=\"30.0\"}");
    assertThat(scrape).contains(
        "orders_step_duration_seconds_count{kind=\"forward\",outcome=\"succeeded\",step=\"reserveInventory\"} 1");
  }
}
