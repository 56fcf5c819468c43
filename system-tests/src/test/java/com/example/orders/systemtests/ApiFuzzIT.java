package com.example.orders.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema-driven fuzzing of the real api process with schemathesis (from PyPI, provisioned by
 * ./run test): every operation of the published OpenAPI document, with a fixed seed and a bounded
 * number of cases, must never answer 5xx. POST /admin/reset is left out: it is destructive by design.
 */
class ApiFuzzIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();

  static final int SEED = 42;
  static final int MAX_EXAMPLES = 25;

  // Not an EndToEndTest: fuzzing PUT /customers and /inventory changes balances and stock on purpose,
  // so the demo-data invariants do not apply afterwards.
  @BeforeEach
  void demoData() {
    new Api(env.apiUrl).resetDemoData();
  }

  @Test
  void noGeneratedRequestGetsAServerError() throws Exception {
    Path report = Files.createDirectories(Path.of("target", "fuzz")).resolve("schemathesis.txt");
    Process run = new ProcessBuilder(schemathesis(), "run", env.apiUrl + "/v3/api-docs",
        "--checks", "not_a_server_error", "--seed", String.valueOf(SEED), "--max-examples", String.valueOf(MAX_EXAMPLES),
        "--exclude-path", "/admin/reset", "--no-color")
        .directory(report.getParent().toFile()) // its cache (.schemathesis) stays under target
        .redirectErrorStream(true)
        .redirectOutput(report.toFile())
        .start();
    assertThat(run.waitFor(10, TimeUnit.MINUTES)).as("schemathesis finished").isTrue();
    String output = Files.readString(report, StandardCharsets.UTF_8);

    assertThat(run.exitValue()).as("schemathesis found failures; see %s:%n%s", report.toAbsolutePath(), output)
        .isZero();
    Matcher generated = Pattern.compile("(\\d+) generated").matcher(output);
    assertThat(generated.find()).as(output).isTrue();
    int cases = Integer.parseInt(generated.group(1));
    assertThat(cases).as("test cases generated").isGreaterThan(100);
    Reliability.report("schemathesis fuzz, seed " + SEED + " (" + cases + " requests)", 0,
        Map.of("5xx", 0), 0, 0);
  }

  private static String schemathesis() {
    String path = System.getenv("ORDERS_SCHEMATHESIS");
    if (path == null || !new File(path).canExecute()) {
      throw new IllegalStateException("The fuzz test needs schemathesis: run it with `./run test`, which installs it,"
          + " or set ORDERS_SCHEMATHESIS to an `st` executable (was: " + path + ")");
    }
    return path;
  }
}
