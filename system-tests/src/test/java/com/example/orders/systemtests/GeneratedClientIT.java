package com.example.orders.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The published OpenAPI document is the contract: a client generated from the live document by an
 * independent generator (openapi-python-client, from PyPI, provisioned by ./run test) drives the
 * demo scenarios with every undeclared status raising (src/test/python/generated_client_scenarios.py).
 */
class GeneratedClientIT extends EndToEndTest {

  @Test
  void aClientGeneratedFromTheDocumentDrivesEveryScenario() throws Exception {
    Path venv = venv();
    Path out = Files.createDirectories(Path.of("target", "generated-client")).toAbsolutePath();
    Path generation = out.resolve("generate.txt");
    Process generate = new ProcessBuilder(venv.resolve("bin/openapi-python-client").toString(), "generate",
        "--url", env.apiUrl + "/v3/api-docs", "--meta", "none", "--overwrite",
        "--config", Path.of("src", "test", "python", "openapi-python-client.yml").toAbsolutePath().toString(),
        "--output-path", out.resolve("order_fulfillment_api_client").toString())
        .redirectErrorStream(true).redirectOutput(generation.toFile()).start();
    assertThat(generate.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String generated = Files.readString(generation, StandardCharsets.UTF_8);
    assertThat(generate.exitValue()).as("openapi-python-client: %s", generated).isZero();
    // a warning means the generator skipped part of the document: the contract would be incomplete
    assertThat(generated).as("generator warnings").doesNotContainIgnoringCase("warning");

    Path report = out.resolve("scenarios.txt");
    ProcessBuilder scenarios = new ProcessBuilder(venv.resolve("bin/python").toString(),
        Path.of("src", "test", "python", "generated_client_scenarios.py").toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(report.toFile());
    scenarios.environment().putAll(java.util.Map.of("PYTHONPATH", out.toString(), "API_URL", env.apiUrl,
        "TOKEN_URL", env.issuerUrl + "/oauth2/token"));
    Process run = scenarios.start();
    assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(run.exitValue()).as("the generated client's scenarios (%s):%n%s", report, output).isZero();
    List<String> passed = output.lines().filter(l -> l.startsWith("PASS ")).toList();
    assertThat(passed).as(output).hasSize(9);
    Reliability.report("generated client (openapi-python-client), " + passed.size() + " scenarios", 0,
        java.util.Map.of("undeclared statuses", 0), 0, 0);
  }

  private static Path venv() {
    String path = System.getenv("ORDERS_OPENAPI_CLIENT");
    if (path == null || !new File(path, "bin/openapi-python-client").canExecute()) {
      throw new IllegalStateException("This test needs openapi-python-client: run it with `./run test`, which installs"
          + " it, or set ORDERS_OPENAPI_CLIENT to a virtualenv that has it (was: " + path + ")");
    }
    return Path.of(path);
  }
}
