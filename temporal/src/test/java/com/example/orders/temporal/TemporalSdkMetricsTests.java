package com.example.orders.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK's metrics reach Prometheus as the SDK's own reporter would put them, each meter registered once. */
class TemporalSdkMetricsTests {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope = new TemporalSdkMetrics().temporalMetricsScope(registry);

  @AfterEach
  void close() throws Exception {
    scope.close();
  }

  @Test
  void timersKeepOneMeterPerNameAndTagsWithHistogramBuckets() {
    Scope poller = scope.tagged(Map.of("task_queue", "orders", "worker_type", "WorkflowWorker"));
    poller.timer("temporal_workflow_task_schedule_to_start_latency").record(Duration.ofMillis(30));
    poller.timer("temporal_workflow_task_schedule_to_start_latency").record(Duration.ofMillis(50));
    scope.tagged(Map.of("task_queue", "orders", "worker_type", "ActivityWorker"))
        .timer("temporal_workflow_task_schedule_to_start_latency").record(Duration.ofMillis(70));

    Timer workflowWorker = registry.get("temporal_workflow_task_schedule_to_start_latency")
        .tag("worker_type", "WorkflowWorker").tag("task_queue", "orders").timer();
    assertThat(workflowWorker.count()).isEqualTo(2);
    assertThat(workflowWorker.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(80);
    assertThat(registry.find("temporal_workflow_task_schedule_to_start_latency").timers()).hasSize(2);
    // the alert rules compute quantiles over the buckets
    assertThat(registry.scrape()).contains("temporal_workflow_task_schedule_to_start_latency_seconds_bucket{");
  }

  @Test
  void countersAddUpAndGaugesShowTheLastValue() throws Exception {
    Scope worker = scope.tagged(Map.of("worker_type", "ActivityWorker"));
    worker.counter("temporal_request").inc(2);
    worker.counter("temporal_request").inc(3);
    worker.gauge("temporal_worker_task_slots_available").update(200);
    worker.gauge("temporal_worker_task_slots_available").update(198);
    // tally buffers counters and gauges until its next report: closing the scope reports them
    scope.close();

    assertThat(registry.get("temporal_request").tag("worker_type", "ActivityWorker").counter().count()).isEqualTo(5);
    assertThat(registry.get("temporal_worker_task_slots_available").gauge().value()).isEqualTo(198);
  }
}
