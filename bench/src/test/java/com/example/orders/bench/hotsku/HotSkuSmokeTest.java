package com.example.orders.bench.hotsku;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot-SKU benchmark at small N and one second per strategy, without pgbench: every strategy
 * other than the control, the production path included, sells exactly the stock and never hands
 * out a unit twice.
 */
class HotSkuSmokeTest {

  @TempDir Path results;

  @Test
  void noStrategyButTheControlOversells() throws Exception {
    List<String> strategies = HotSkuBenchmark.keys().stream().filter(k -> !k.equals("control")).toList();
    HotSkuBenchmark.Report report = HotSkuBenchmark.execute(new HotSkuBenchmark.Options(
        List.of(4), 1, 0, 40, false, "none", strategies, results));

    assertThat(report.rows()).hasSize(strategies.size());
    assertThat(report.rows()).allSatisfy(row -> {
      assertThat(row.reservations()).as(row.strategy()).isPositive();
      assertThat(row.errors()).as(row.strategy() + ": " + row.firstError()).isZero();
      assertThat(row.lostUnits()).as(row.strategy()).isZero();
      assertThat(row.scarceSold()).as(row.strategy()).isEqualTo(40);
    });
  }
}
