package com.example.orders.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema-driven fuzzing of the real api process with schemathesis (from PyPI, provisioned by
 * ./run test): every operation of the published OpenAPI document, with a fixed seed and a bounded
 * number of cases, must answer only what the document declares (status, content type, headers,
 * body schema), refuse invalid input and never answer 5xx, whether called as an operator, as a
 * customer or without a token. POST /admin/reset is left out: it is destructive by design.
 */
class ApiFuzzIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();

  static final int SEED = 42;
  /**
   * Not only "no 5xx": every status, content type, header and body must be one the document
   * declares for that operation, and invalid input must be refused.
   */
  static final String CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,"
      + "response_headers_conformance,response_schema_conformance,negative_data_rejection";
  static final int MAX_EXAMPLES = 25;

  // Not an EndToEndTest: fuzzing PUT /customers and /inventory changes balances and stock on purpose,
  // so the demo-data invariants do not apply afterwards.
  @BeforeEach
  void demoData() {
    env.client("operator").resetDemoData();
  }

  @Test
  void noGeneratedRequestGetsAServerErrorAsAnOperator() throws Exception {
    int cases = fuzz("operator", "Authorization", "Bearer " + env.token("operator"));
    assertThat(cases).as("test cases generated").isGreaterThan(100);
    Reliability.report("schemathesis fuzz as operator, seed " + SEED + " (" + cases + " requests)", 0,
        Map.of("5xx", 0), 0, 0);
  }

  @Test
  void noGeneratedRequestGetsAServerErrorAsACustomer() throws Exception {
    int cases = fuzz("customer", "Authorization", "Bearer " + env.token("user_1"));
    Reliability.report("schemathesis fuzz as user_1, seed " + SEED + " (" + cases + " requests)", 0,
        Map.of("5xx", 0), 0, 0);
  }

  @Test
  void noGeneratedRequestGetsAServerErrorWithoutAToken() throws Exception {
    int cases = fuzz("anonymous");
    Reliability.report("schemathesis fuzz without a token, seed " + SEED + " (" + cases + " requests)", 0,
        Map.of("5xx", 0), 0, 0);
  }

  /** Runs schemathesis over every operation with the given extra header; returns how many cases it generated. */
  private static int fuzz(String as, String... header) throws Exception {
    Path report = Files.createDirectories(Path.of("target", "fuzz")).resolve("schemathesis-" + as + ".txt");
    List<String> command = new ArrayList<>(List.of(schemathesis(), "run", env.apiUrl + "/v3/api-docs",
        "--checks", CHECKS, "--seed", String.valueOf(SEED), "--max-examples", String.valueOf(MAX_EXAMPLES),
        "--exclude-path", "/admin/reset", "--no-color"));
    if (header.length == 2) {
      command.addAll(List.of("--header", header[0] + ": " + header[1]));
    }
    Process run = new ProcessBuilder(command)
        .directory(report.getParent().toFile()) // its cache (.schemathesis) stays under target
        .redirectErrorStream(true)
        .redirectOutput(report.toFile())
        .start();
    assertThat(run.waitFor(10, TimeUnit.MINUTES)).as("schemathesis finished").isTrue();
    String output = Files.readString(report, StandardCharsets.UTF_8);

    assertThat(run.exitValue()).as("schemathesis found failures as %s; see %s:%n%s", as, report.toAbsolutePath(), output)
        .isZero();
    Matcher generated = Pattern.compile("(\\d+) generated").matcher(output);
    assertThat(generated.find()).as(output).isTrue();
    return Integer.parseInt(generated.group(1));
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
