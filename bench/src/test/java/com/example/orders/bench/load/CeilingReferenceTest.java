package com.example.orders.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step-up compares itself with the newest ceiling of its own engine, and with nothing else. */
class CeilingReferenceTest {

  @TempDir Path results;

  private void write(String name, String kind, String engine, double rate) throws Exception {
    Files.writeString(results.resolve(name), """
        {"kind": "%s", "engine": "%s", "maxSustainableRate": %s}""".formatted(kind, engine, rate));
  }

  @Test
  void takesTheNewestCeilingOfTheSameEngine() throws Exception {
    write("ceiling-20261203-100000.json", "ceiling", "server", 40);
    write("ceiling-tuned-20261203-120000.json", "ceiling", "server", 48);
    write("ceiling-20261203-130000.json", "ceiling", "dev", 50);
    write("step-up-20261203-140000.json", "step-up", "server", 44);

    CeilingReference server = CeilingReference.newest(results, "server", "").orElseThrow();

    assertThat(server.rate()).isEqualTo(48);
    assertThat(server.file().getFileName().toString()).isEqualTo("ceiling-tuned-20261203-120000.json");
    assertThat(server.share(44)).isCloseTo(0.9167, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(CeilingReference.newest(results, "dev", "").orElseThrow().rate()).isEqualTo(50);
  }

  @Test
  void prefersACeilingOfTheStepUpsOwnBuildToANewerOneOfAnother() throws Exception {
    Files.writeString(results.resolve("ceiling-20261203-100000.json"), """
        {"kind": "ceiling", "engine": "server", "build": "0.1.0-v12", "maxSustainableRate": 84}""");
    Files.writeString(results.resolve("ceiling-20261203-110000.json"), """
        {"kind": "ceiling", "engine": "server", "build": "0.1.0-v11", "maxSustainableRate": 45}""");
    write("ceiling-20261203-120000.json", "ceiling", "server", 50); // before builds were recorded

    CeilingReference own = CeilingReference.newest(results, "server", "0.1.0-v12").orElseThrow();
    assertThat(own.rate()).isEqualTo(84);
    assertThat(own.build()).isEqualTo("0.1.0-v12");

    // no ceiling of this build: the newest of any, which names its own build (here none)
    CeilingReference other = CeilingReference.newest(results, "server", "0.1.0-v13").orElseThrow();
    assertThat(other.rate()).isEqualTo(50);
    assertThat(other.build()).isEmpty();
    assertThat(CeilingReference.newest(results, "server", "").orElseThrow().rate()).isEqualTo(50);
  }

  @Test
  void noCeilingOfThatEngineNoReference() throws Exception {
    write("ceiling-20261203-100000.json", "ceiling", "dev", 50);
    write("ceiling-20261203-110000.json", "ceiling", "server", 0);  // nothing sustained: no reference
    Files.writeString(results.resolve("ceiling-20261203-120000.json"), "{\"kind\": \"ceil");  // cut short

    assertThat(CeilingReference.newest(results, "server", "")).isEmpty();
    assertThat(CeilingReference.newest(results.resolve("missing"), "dev", "")).isEmpty();
  }
}
