package com.example.orders.api.e2e;

import com.example.orders.faults.FaultInjector;
import com.example.orders.postgres.LocalPostgres;
import com.example.orders.testing.TestPostgres;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole system as separate OS processes, started once per test JVM: a real PostgreSQL
 * (LocalPostgres), the Temporal CLI dev server (with its Web UI), the packaged workers process and
 * the packaged api process. Nothing is mocked; the workers run with fault injection on, so a test
 * can make an activity fail on purpose ({@link #injectFault}). The Temporal CLI comes from
 * ORDERS_TEMPORAL_CLI, which ./run test provisions; without it the tests fail, they never skip.
 */
public final class EndToEndEnvironment {

  private static EndToEndEnvironment instance;

  public final String apiUrl;
  public final String temporalTarget;
  public final String temporalUiUrl;
  public final String jdbcUrl;
  public final Path logs;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final List<String> temporalCommand;
  private final Map<String, String> apiEnv;
  private Process temporal;
  private Process api;
  private final WorkflowServiceStubs stubs;
  public final WorkflowClient workflowClient;

  public static synchronized EndToEndEnvironment get() {
    if (instance == null) {
      instance = new EndToEndEnvironment();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private EndToEndEnvironment() {
    try {
      logs = Files.createDirectories(Path.of("target", "e2e-logs"));
      jdbcUrl = TestPostgres.newDatabase("e2e");

      int temporalPort = LocalPostgres.freePort();
      int uiPort = LocalPostgres.freePort();
      temporalTarget = "127.0.0.1:" + temporalPort;
      temporalUiUrl = "http://127.0.0.1:" + uiPort;
      List<String> command = new ArrayList<>(List.of(temporalCli(), "server", "start-dev", "--ip", "127.0.0.1",
          "--port", String.valueOf(temporalPort), "--ui-port", String.valueOf(uiPort),
          "--db-filename", Files.createTempDirectory("orders-e2e-temporal").resolve("temporal.db").toString(),
          "--log-level", "warn"));
      command.addAll(devServerFlags());
      temporalCommand = List.copyOf(command);
      startTemporal();

      startWorkers();

      int apiPort = LocalPostgres.freePort();
      apiUrl = "http://127.0.0.1:" + apiPort;
      apiEnv = commonEnv();
      apiEnv.put("ORDERS_API_PORT", String.valueOf(apiPort));
      apiEnv.put("ORDERS_TEMPORAL_UI_URL", temporalUiUrl);
      startApi();

      stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).build());
      workflowClient = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts one more workers process and waits until it is healthy; returns it. */
  public synchronized Process startWorkers() {
    int port = LocalPostgres.freePort();
    Map<String, String> env = commonEnv();
    env.put("ORDERS_WORKERS_PORT", String.valueOf(port));
    Process process = start("workers-" + (workers.size() + 1),
        List.of(java(), "-jar", jar("workers", "workers").toString()), env);
    workers.add(process);
    await("workers", Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
    return process;
  }

  /** Starts the dev server (again) on the same ports and SQLite file, and waits until it serves. */
  public synchronized void startTemporal() {
    temporal = start("temporal", temporalCommand, Map.of());
    await("Temporal dev server", Duration.ofSeconds(90), () -> run(List.of(temporalCommand.get(0), "operator",
        "cluster", "health", "--address", temporalTarget)));
  }

  /** Stops the dev server gracefully; its state stays in the SQLite file for {@link #startTemporal}. */
  public synchronized void stopTemporal() {
    stopProcess(temporal);
  }

  /** Starts the api process (again) on the same port and waits until it is healthy. */
  public synchronized void startApi() {
    api = start("api", List.of(java(), "-jar", jar("api", "api").toString()), apiEnv);
    await("api", Duration.ofSeconds(120), () -> healthy(apiUrl));
  }

  /** The api process, e.g. to observe that an injected crash killed it. */
  public synchronized Process api() {
    return api;
  }

  /** The workers processes started so far, oldest first (some may have been killed by a test). */
  public synchronized List<Process> workers() {
    return List.copyOf(workers);
  }

  /**
   * Makes the next {@code times} invocations of {@code activity} (any order) fail, before their work
   * or after their transaction committed. Faults left over are cleared by {@link #clearFaults}.
   */
  public void injectFault(String activity, FaultInjector.Phase phase, int times) {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
         PreparedStatement insert = db.prepareStatement(
             "INSERT INTO injected_faults (activity, phase, remaining) VALUES (?, ?, ?)")) {
      insert.setString(1, activity);
      insert.setString(2, phase.name());
      insert.setInt(3, times);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void clearFaults() {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      db.createStatement().execute("DELETE FROM injected_faults");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many injected faults have fired since the last {@link #clearFaults}, all activities together. */
  public long faultsFired() {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
         ResultSet rs = db.createStatement().executeQuery("SELECT coalesce(sum(fired), 0) FROM injected_faults")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many injected faults of {@code activity} have fired since the last {@link #clearFaults}. */
  public long faultsFired(String activity) {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
         PreparedStatement query = db.prepareStatement(
             "SELECT coalesce(sum(fired), 0) FROM injected_faults WHERE activity = ?")) {
      query.setString(1, activity);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, String> commonEnv() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("ORDERS_DB_URL", jdbcUrl);
    env.put("ORDERS_DB_USER", "postgres");
    env.put("ORDERS_TEMPORAL_TARGET", temporalTarget);
    // Harmless while injected_faults is empty; lets suites make steps fail or processes crash on purpose.
    env.put("ORDERS_FAULT_INJECTION", "true");
    return env;
  }

  private Process start(String name, List<String> command, Map<String, String> env) {
    try {
      // append: a restarted process keeps writing to the same log
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
      builder.environment().putAll(env);
      Process process = builder.start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  private void await(String what, Duration timeout, BooleanSupplier ready) {
    Instant deadline = Instant.now().plus(timeout);
    while (!ready.getAsBoolean()) {
      Process newest = processes.get(processes.size() - 1);
      if (!newest.isAlive()) {
        throw new IllegalStateException(what + ": exited with " + newest.exitValue() + "; see " + logs.toAbsolutePath());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(what + " not ready after " + timeout + "; see " + logs.toAbsolutePath());
      }
      sleep(500);
    }
  }

  private static boolean healthy(String baseUrl) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The flags ./run gives the dev server (search attributes, SQLite pragmas, eager activities), from one file. */
  private static List<String> devServerFlags() throws IOException {
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "config", "temporal-dev-server.args"))) {
      String flag = line.replaceFirst("#.*", "").strip();
      if (!flag.isEmpty()) {
        flags.addAll(List.of(flag.split("\\s+")));
      }
    }
    return flags;
  }

  private static String temporalCli() {
    String cli = System.getenv("ORDERS_TEMPORAL_CLI");
    if (cli == null || !new File(cli).canExecute()) {
      throw new IllegalStateException("The end-to-end tests need the Temporal CLI: run them with `./run test`, "
          + "which provisions it, or set ORDERS_TEMPORAL_CLI to a temporal binary (was: " + cli + ")");
    }
    return cli;
  }

  /** The repackaged executable jar of a sibling module, built by the reactor before this module's tests. */
  private static Path jar(String module, String artifact) {
    Path dir = Path.of("..", module, "target").toAbsolutePath().normalize();
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(artifact + "-")
              && p.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no executable jar in " + dir + ": build with mvn verify"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void stop() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      stopProcess(processes.get(i));
    }
  }

  private static void stopProcess(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
