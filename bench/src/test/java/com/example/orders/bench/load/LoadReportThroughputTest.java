package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.bench.load.LoadGenerator.Kind;
import com.example.orders.bench.load.LoadGenerator.Planned;
import com.example.orders.bench.load.LoadGenerator.Sample;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Throughput is what ends inside the measured window: one slow order is latency, a slow pace is not throughput. */
class LoadReportThroughputTest {

  private static final long START_EPOCH = 1_800_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** 10 orders/s offered for 10 s; order i ends {@code endsAfterMillis.apply(i)} ms after the window began. */
  private static LoadReport.Summary stage(java.util.function.IntToLongFunction endsAfterMillis) {
    LoadConfig config = new LoadConfig(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1/oauth2/token"),
        "operator:secret", "127.0.0.1:1", "default", 10, 10, 0, 1, 1, 1, 0.0, 0.0, 30, 1, Path.of("."), Path.of("."), "t");
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Sample s = new Sample(new Planned(i, false, Kind.WAIT, false, "c", List.of("s"), "{}"), i * SECOND / 10);
      long ends = endsAfterMillis.applyAsLong(i);
      s.sentNanos = s.scheduledNanos;
      s.doneNanos = ends * 1_000_000L;
      s.http = 200;
      s.status = "COMPLETED";
      s.terminalEpochMillis = START_EPOCH + ends;
      samples.add(s);
    }
    return LoadReport.summarize(new LoadGenerator.StageResult(config, 0, START_EPOCH, 0, 10 * SECOND, 11 * SECOND,
        samples, List.of(), Map.of(), List.of(), new double[3], new double[3], 0));
  }

  @Test
  void aStragglerAfterTheWindowIsLatencyNotLostThroughput() {
    // every order 50 ms after its send, but the last one takes 2.5 s
    LoadReport.Summary s = stage(i -> i == 99 ? 9_900 + 2_500 : i * 100L + 50);
    assertThat(s.terminalPerSecond()).isEqualTo(9.9);
    assertThat(s.lastTerminalAfterSeconds()).isEqualTo(12.4);
    assertThat(s.notSustainedBecause()).noneMatch(reason -> reason.startsWith("throughput"));
  }

  @Test
  void aServiceAtHalfThePaceFallsShortOfTheOfferedRate() {
    // it finishes one order per 200 ms: half of them end after the window
    LoadReport.Summary s = stage(i -> i * 200L + 50);
    assertThat(s.terminalPerSecond()).isEqualTo(5.0);
    assertThat(s.notSustainedBecause()).anyMatch(reason -> reason.startsWith("throughput 5.0/s < 97% of offered 10.0/s"));
  }
}
