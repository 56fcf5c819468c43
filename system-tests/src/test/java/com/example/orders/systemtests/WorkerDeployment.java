package com.example.orders.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Worker Deployment {@value #NAME} of the stack's Temporal, read and switched with the Temporal
 * CLI's {@code temporal worker deployment} commands, as an operator does in the rollout of
 * docs/changing-workflows.md (and as {@code ./run deployment} prints them).
 */
final class WorkerDeployment {

  /** spring.temporal.workers[0].deployment-properties.deployment-name of the workers. */
  static final String NAME = "orders";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What {@code temporal worker deployment describe --name orders -o json} shows: the current and the
   * ramping build ("" for none), the ramp's percentage, and each version's drainage status
   * ({@code unspecified}, {@code draining}, {@code drained}).
   */
  record State(String current, String ramping, double rampPercentage, Map<String, String> drainage, String json) {
    String drainageOf(String build) {
      return drainage.getOrDefault(build, "(not a version of " + NAME + ")");
    }
  }

  private final EndToEndEnvironment env;

  WorkerDeployment(EndToEndEnvironment env) {
    this.env = env;
  }

  State describe() {
    String output = cli("worker", "deployment", "describe", "--name", NAME, "-o", "json");
    JsonNode json = JSON.readTree(output);
    JsonNode routing = json.path("routingConfig");
    Map<String, String> drainage = new HashMap<>();
    for (JsonNode version : json.path("versionSummaries")) {
      drainage.put(version.path("BuildID").asString(), version.path("drainageStatus").asString());
    }
    return new State(routing.path("currentVersionBuildID").asString(""), routing.path("rampingVersionBuildID").asString(""),
        routing.path("rampingVersionPercentage").asDouble(0), drainage, output);
  }

  /**
   * The types of task queue {@value #NAME} the server has registered for {@code build}
   * ({@code workflow}, {@code activity}), from {@code describe-version}; none while the version is unknown.
   */
  Set<String> registeredQueues(String build) {
    Result result = run("worker", "deployment", "describe-version", "--deployment-name", NAME, "--build-id", build,
        "-o", "json");
    Set<String> types = new HashSet<>();
    if (result.exit() != 0) {
      return types; // NotFound until the build's first poll is recorded
    }
    for (JsonNode queue : JSON.readTree(result.output()).path("taskQueuesInfos")) {
      if (queue.path("name").asString().equals("orders")) {
        types.add(queue.path("type").asString());
      }
    }
    return types;
  }

  void ramp(String build, int percent) {
    cli("worker", "deployment", "set-ramping-version", "--deployment-name", NAME, "--build-id", build,
        "--percentage", String.valueOf(percent), "--yes");
  }

  void stopRamp(String build) {
    cli("worker", "deployment", "set-ramping-version", "--deployment-name", NAME, "--build-id", build, "--delete", "--yes");
  }

  void makeCurrent(String build) {
    cli("worker", "deployment", "set-current-version", "--deployment-name", NAME, "--build-id", build, "--yes");
  }

  /**
   * The ids of the open workflows pinned to {@code build} (the first 20): what keeps it from draining,
   * by the query the server's drainage check runs. Workflows that upgrade in place (the shipments) do
   * not count: their next task goes to the current version.
   */
  List<String> openPinned(String build) {
    List<String> ids = new ArrayList<>();
    env.workflowClient.listExecutions("ExecutionStatus = 'Running' AND BuildIds = 'pinned:" + NAME + ":" + build + "'")
        .limit(20).forEach(execution -> ids.add(execution.getExecution().getWorkflowId()));
    return ids;
  }

  /** Runs the CLI against the stack's Temporal; fails with its output unless it exits 0. */
  private String cli(String... args) {
    Result result = run(args);
    if (result.exit() != 0) {
      throw new AssertionError("temporal " + String.join(" ", args) + " exited with " + result.exit() + ":\n"
          + result.output());
    }
    return result.output();
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) {
    ProcessBuilder command = env.temporalCli(List.of(args));
    try {
      Process process = command.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.command() + " did not end within 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
