package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void percentilesAreNearestRankOverEveryValue() {
    double[] values = new double[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 .. 1, unsorted on purpose
    }
    Latency l = Latency.of(values);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50()).isEqualTo(50);
    assertThat(l.p90()).isEqualTo(90);
    assertThat(l.p99()).isEqualTo(99);
    assertThat(l.max()).isEqualTo(100);
  }

  @Test
  void oneValueIsEveryPercentileAndNoneIsNaN() {
    assertThat(Latency.of(new double[] {7}).p99()).isEqualTo(7);
    assertThat(Latency.of(new double[0]).p50()).isNaN();
  }
}
