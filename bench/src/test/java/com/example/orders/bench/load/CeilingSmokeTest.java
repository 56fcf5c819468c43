package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.devtools.temporal.InProcessTemporalServer;
import com.example.orders.temporal.access.TemporalAccess;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ceiling's orders on the SDK's in-process test server: the real order workflows run on the
 * no-op steps and every order ends as it should, the carrier-refused ones compensated and FAILED.
 */
class CeilingSmokeTest {

  @TempDir Path dir;

  @Test
  void everyOrderOfTheRealWorkflowEndsCompletedOrCompensated() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (AutoCloseable server = InProcessTemporalServer.start(port);
         CeilingOrders ceiling = new CeilingOrders(new PayloadEncryptionCodec(PayloadKeyring.empty(), false), TemporalAccess.plaintext(), true)) {
      LoadConfig config = new LoadConfig(URI.create("http://unused"), URI.create("http://unused"), "unused:unused",
          "127.0.0.1:" + port, "default", 20, 2, 0, 3, 3, 1, 0.25, 0.0, 10, 7, dir, dir.resolve("results"), "ceiling-smoke")
          .forCeiling();
      LoadGenerator generator = new LoadGenerator(ceiling);
      generator.setUp(config);
      LoadGenerator.StageResult result;
      try (TaskQueueProbe queue = new TaskQueueProbe(config.temporalTarget(), "default", TemporalAccess.plaintext())) {
        result = generator.run(config, ProcessProbe.discover(dir), queue);
      }
      LoadReport.Summary s = LoadReport.summarize(result);

      assertThat(s.errorCount()).isZero();
      assertThat(s.measuredOrders()).isEqualTo(40);
      assertThat(s.terminalOrders()).isEqualTo(40);
      assertThat(s.failedOrders()).as("refused by the carrier, compensated").isBetween(3, 20);
      assertThat(result.samples()).filteredOn(sample -> "FAILED".equals(sample.status))
          .allMatch(sample -> "UNDELIVERABLE_ADDRESS".equals(sample.reason) && sample.planned.failing());
    }
  }
}
