package com.example.orders.temporal;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.CapableOf;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.StatsReporter;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Temporal SDK's metrics in the process's Micrometer registry, under the same names, tags and
 * histograms as the SDK's own {@code MicrometerClientStatsReporter}, which this replaces (its
 * auto-configuration is excluded in config/orders-temporal.properties). The SDK's reporter looks each
 * meter up in the registry on every report: a tag list, a sort and a registry lookup for every gRPC
 * call and task, which profiling showed as a few percent of the workers' CPU. This one looks a meter
 * up once per name and tag set and keeps it.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalSdkMetrics {

  /** The name Temporal's auto-configuration looks for when it builds the client and the workers. */
  @Bean(name = "temporalMetricsScope", destroyMethod = "close")
  public Scope temporalMetricsScope(MeterRegistry registry) {
    return new RootScopeBuilder()
        .reporter(new CachingReporter(registry))
        .reportEvery(Duration.ofSeconds(10));
  }

  static final class CachingReporter implements StatsReporter {

    private record MeterKey(String name, Map<String, String> tags) {}

    /** Micrometer holds a gauge's object weakly; the map keeps it alive. */
    private static final class GaugeValue {
      volatile double value;
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<MeterKey, GaugeValue> gauges = new ConcurrentHashMap<>();

    CachingReporter(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void reportCounter(String name, Map<String, String> tags, long value) {
      meter(counters, name, tags, key -> registry.counter(key.name(), tags(key))).increment(value);
    }

    @Override
    public void reportGauge(String name, Map<String, String> tags, double value) {
      meter(gauges, name, tags, key -> {
        GaugeValue gauge = new GaugeValue();
        Gauge.builder(key.name(), gauge, g -> g.value).tags(tags(key)).register(registry);
        return gauge;
      }).value = value;
    }

    @Override
    public void reportTimer(String name, Map<String, String> tags, Duration interval) {
      // buckets, as the SDK's reporter publishes them: the alert rules take quantiles across workers
      meter(timers, name, tags, key -> Timer.builder(key.name())
              .tags(tags(key))
              .publishPercentileHistogram(true)
              .register(registry))
          .record(interval.getNanos(), TimeUnit.NANOSECONDS);
    }

    private static <M> M meter(ConcurrentMap<MeterKey, M> cache, String name, Map<String, String> tags,
        Function<MeterKey, M> register) {
      MeterKey key = new MeterKey(name, tags == null ? Map.of() : tags);
      M meter = cache.get(key); // the hot path: no lock once the meter exists
      return meter != null ? meter : cache.computeIfAbsent(key, register);
    }

    private static Tags tags(MeterKey key) {
      return Tags.of(key.tags().entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue())).toList());
    }

    @Override
    @SuppressWarnings("deprecation")
    public void reportHistogramValueSamples(String name, Map<String, String> tags, Buckets buckets,
        double bucketLowerBound, double bucketUpperBound, long samples) {
      // the SDK reports no tally histograms (its reporter ignores them too)
    }

    @Override
    @SuppressWarnings("deprecation")
    public void reportHistogramDurationSamples(String name, Map<String, String> tags, Buckets buckets,
        Duration bucketLowerBound, Duration bucketUpperBound, long samples) {
      // as above
    }

    @Override
    public Capabilities capabilities() {
      return CapableOf.REPORTING;
    }

    @Override
    public void flush() {
      // every report goes straight to the registry
    }

    @Override
    public void close() {
      // the registry is Spring's to close, not the SDK's
    }
  }
}
