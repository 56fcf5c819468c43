package com.example.orders.systemtests;

import com.example.orders.devtools.faults.FaultInjector;
import com.example.orders.devtools.postgres.LocalPostgres;
import com.example.orders.devtools.postgres.TestPostgres;
import com.example.orders.devtools.scratch.ScratchDirectory;
import com.example.orders.temporal.access.TemporalAccess;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.example.orders.workflows.shipping.ShipmentDeadlineSweep;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
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
import org.awaitility.Awaitility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole system as separate OS processes, started once per test JVM: a real PostgreSQL
 * (LocalPostgres), Temporal with its Web UI, the packaged workers process and the packaged api
 * process, each the production jar as built, and a real Kafka broker (./run kafka) with the outbox
 * relay process publishing to it. Nothing is mocked. The api and the workers also get the
 * devtools jar on their classpath with fault injection switched on, so a test can make an activity
 * fail or a process die on purpose ({@link #injectFault}); production jars have no such code.
 *
 * <p>Temporal is one of the two engines of ./run ({@link Engine}, system property
 * {@value Engine#PROPERTY}): the CLI's dev server, or the production engine, which ./run itself
 * starts ({@code ./run temporal-server}) on this stack's PostgreSQL, so that its configuration,
 * schema step, namespace and search attributes are those of {@code ./run --temporal server}. The
 * Temporal CLI comes from ORDERS_TEMPORAL_CLI, which ./run test provisions with the production
 * engine's binaries; without them the tests fail, they never skip.
 */
public final class EndToEndEnvironment {

  private static EndToEndEnvironment instance;

  /**
   * Which Temporal the stack runs on: {@code -D}{@value #PROPERTY}{@code =dev} (the default) or
   * {@code server}; the failsafe execution of each engine sets it (system-tests/pom.xml).
   */
  public enum Engine {
    /** {@code temporal server start-dev}: SQLite, flags from config/temporal-dev-server.args. */
    DEV("Temporal dev server"),
    /** The real Temporal server on PostgreSQL and its Web UI server, config/temporal-server/. */
    SERVER("Temporal server");

    public static final String PROPERTY = "orders.e2e.engine";
    /** JUnit tag of the suites that run on the real server too: the server-engine execution runs these. */
    public static final String BOTH = "both-engines";
    /** JUnit tag of the tests that exist for the real server only: the dev-engine execution leaves them out. */
    public static final String SERVER_ONLY = "server-only";
    /** How the figures and messages name it. */
    public final String description;

    Engine(String description) {
      this.description = description;
    }

    /** The engine of this test JVM; anything but dev or server is an error, not a default. */
    public static Engine current() {
      String value = System.getProperty(PROPERTY, "dev");
      return switch (value) {
        case "dev" -> DEV;
        case "server" -> SERVER;
        default -> throw new IllegalStateException(PROPERTY + " is dev or server, not '" + value + "'");
      };
    }

    /**
     * target/{@code name}, or target/{@code name} with -server before its extension on the real
     * server: the two engines' runs keep their logs, screenshots and figures apart.
     */
    public Path output(String name) {
      int dot = name.lastIndexOf('.');
      return Path.of("target", this == DEV ? name
          : dot < 0 ? name + "-server" : name.substring(0, dot) + "-server" + name.substring(dot));
    }
  }

  /** The engine this stack runs on. */
  public final Engine engine = Engine.current();
  public final String apiUrl;
  public final String temporalTarget;
  public final String temporalUiUrl;
  public final String jdbcUrl;
  /** The token issuer (the auth-server process): its base URL, and the file of its signing key. */
  public final String issuerUrl;
  public final Path signingKey;
  /**
   * The production engine's certificates (./run temporal-server --tls), whose ca.pem every client
   * trusts; none on the dev server, which is plaintext.
   */
  private final Path engineTls;
  /** The engine's, the issuer's and Kafka's files: removed once the processes have stopped. */
  private final Path scratch;
  private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
  /** Receives the spans the api and the workers export over OTLP. */
  private final OtlpReceiver traces = new OtlpReceiver();
  public final Path logs;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final List<Process> relays = new ArrayList<>();
  /** The Kafka broker the relays publish to: host:port. */
  public final String kafkaBootstrap;
  private final List<String> kafkaCommand;
  private Process kafka;
  private final Map<Process, String> workerUrls = new java.util.HashMap<>();
  private final Map<Process, String> relayUrls = new java.util.HashMap<>();
  private final String temporalCli = temporalCli();
  /** The command that starts the engine, and its environment. */
  private final List<String> temporalCommand;
  private final Map<String, String> temporalEnv;
  private final Map<String, String> apiEnv;
  /** Settings a test gave the api and workers on top of the usual ones ({@link #restartApiAndWorkers}). */
  private final Map<String, String> overrides = new java.util.HashMap<>();

  /**
   * The test-only payload keys (workflows' test resources, which say so): the processes start with
   * the first; EncryptionIT rotates to the second. The test's own client and readers know both.
   */
  public static final Path TEST_PAYLOAD_KEYS =
      Path.of("..", "workflows", "src", "test", "resources", "encryption", "test-only-payload-keys");
  /** How long an order waits for an operator's review in the tests (the product's default is 24 hours). */
  public static final Duration REVIEW_DEADLINE = Duration.ofSeconds(20);
  public final String firstPayloadKey;
  public final String allPayloadKeys;
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
      logs = Files.createDirectories(engine.output("e2e-logs"));
      scratch = Files.createTempDirectory("orders-e2e-");
      jdbcUrl = TestPostgres.newDatabase("e2e");
      List<String> keyLines = Files.readAllLines(TEST_PAYLOAD_KEYS).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
      firstPayloadKey = keyLines.get(0);
      allPayloadKeys = String.join("\n", keyLines);
      int apiPort = LocalPostgres.freePort();
      apiUrl = "http://127.0.0.1:" + apiPort;

      int temporalPort = engine == Engine.DEV ? LocalPostgres.freePort() : freeTemporalServerPort();
      int uiPort = LocalPostgres.freePort();
      temporalTarget = "127.0.0.1:" + temporalPort;
      // the production engine's Web UI signs its visitors in, and its callback at the issuer names localhost
      temporalUiUrl = (engine == Engine.DEV ? "http://127.0.0.1:" : "http://localhost:") + uiPort;
      engineTls = engine == Engine.DEV ? null : scratch.resolve("temporal-tls");

      // the production engine reads the issuer's keys when it starts: the issuer comes first
      int authPort = LocalPostgres.freePort();
      issuerUrl = "http://127.0.0.1:" + authPort;
      signingKey = Files.createDirectories(scratch.resolve("auth")).resolve("signing-key.json");
      startIssuer(authPort);

      if (engine == Engine.DEV) {
        List<String> command = new ArrayList<>(List.of(temporalCli, "server", "start-dev", "--ip", "127.0.0.1",
            "--port", String.valueOf(temporalPort), "--ui-port", String.valueOf(uiPort),
            "--db-filename", scratch.resolve("temporal.db").toString(),
            "--log-level", "warn"));
        command.addAll(devServerFlags());
        command.addAll(List.of("--ui-codec-endpoint", apiUrl + "/codec")); // as ./run does
        temporalCommand = List.copyOf(command);
        temporalEnv = Map.of();
      } else {
        if (!Files.isExecutable(RUN)) {
          throw new IllegalStateException(RUN.toAbsolutePath().normalize() + " is missing or not executable: the "
              + "real server's tests start it with ./run temporal-server");
        }
        // its databases temporal and temporal_visibility go beside this stack's on the same PostgreSQL
        temporalCommand = List.of(RUN.toAbsolutePath().normalize().toString(), "temporal-server",
            "--logs", logs.toAbsolutePath().toString(), "--tls", engineTls.toString());
        temporalEnv = Map.of("ORDERS_DB_URL", jdbcUrl, "ORDERS_DB_USER", LocalPostgres.user(),
            "ORDERS_TEMPORAL_PORT", String.valueOf(temporalPort), "ORDERS_TEMPORAL_UI_PORT", String.valueOf(uiPort),
            "ORDERS_API_PORT", String.valueOf(apiPort), "ORDERS_TEMPORAL_CLI", temporalCli,
            "ORDERS_AUTH_ISSUER", issuerUrl);
      }
      startTemporal();

      startWorkers();

      int kafkaPort = freeKafkaPort();
      kafkaBootstrap = "127.0.0.1:" + kafkaPort;
      kafkaCommand = List.of(RUN.toAbsolutePath().normalize().toString(), "kafka", "--port", String.valueOf(kafkaPort),
          "--data", Files.createDirectories(scratch.resolve("kafka")).toString(), "--logs", logs.toAbsolutePath().toString());
      startKafka();
      startRelay();

      apiEnv = new java.util.HashMap<>();
      apiEnv.put("ORDERS_API_PORT", String.valueOf(apiPort));
      apiEnv.put("ORDERS_TEMPORAL_UI_URL", temporalUiUrl);
      apiEnv.put("ORDERS_DEMO_DATA", "true");
      startApi();

      // the test's own client acts as an operator: on the production engine, with the operator's token
      stubs = WorkflowServiceStubs.newServiceStubs(temporalAccess("operator")
          .configure(WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget)).build());
      // Reads what the processes encrypt under either test key, and encrypts (an update, say) under the
      // first, which every process has: the keyring's newest key is its last, so the first goes last.
      List<String> firstLast = new ArrayList<>(List.of(allPayloadKeys.split("\n")));
      java.util.Collections.reverse(firstLast);
      workflowClient = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default")
          .setDataConverter(new PayloadEncryptionCodec(PayloadKeyring.parse(String.join("\n", firstLast), "test keys"), true)
              .dataConverter())
          .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The token issuer of ./run, as its own process: the api trusts it by issuer, audience and JWKS. */
  private void startIssuer(int port) {
    start("auth", List.of(java(), "-jar", ModuleJars.executable("auth-server").toString()), Map.of(
        "ORDERS_AUTH_PORT", String.valueOf(port),
        "ORDERS_AUTH_ISSUER", issuerUrl,
        "ORDERS_AUTH_SIGNING_KEY", signingKey.toString(),
        "ORDERS_AUTH_CORS_ORIGINS", apiUrl, // Swagger UI, served by the api, asks for tokens from the browser
        "ORDERS_AUTH_UI_REDIRECT_URIS", temporalUiUrl + "/auth/sso/callback", // the production engine's Web UI
        "ORDERS_AUTH_TOKEN_TTL", "2h"));
    await("token issuer", Duration.ofSeconds(120), () -> healthy(issuerUrl));
  }

  /**
   * An access token of a demo client of docs/API.md (user_1, user_2, user_3, operator, carrier),
   * fetched as docs/API.md tells a client to: HTTP Basic with the client id and secret.
   */
  public String token(String clientId) {
    return tokens.computeIfAbsent(clientId, id -> {
      try {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(issuerUrl + "/oauth2/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((id + ":" + id + "-secret").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("token for " + id + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().replaceFirst(".*\"access_token\":\"([^\"]+)\".*", "$1");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** The api as a demo client: operators do everything, customers their own orders, the carrier its events. */
  public Api client(String clientId) {
    return new Api(apiUrl, token(clientId));
  }

  /** The spans exported so far by the api and the workers. */
  public OtlpReceiver traces() {
    return traces;
  }

  /** The api without any token. */
  public Api anonymous() {
    return new Api(apiUrl, null);
  }

  /** Starts one more workers process and waits until it is healthy; returns it. */
  public synchronized Process startWorkers() {
    int port = LocalPostgres.freePort();
    Map<String, String> env = commonEnv();
    env.putAll(engineClient("orders-workers"));
    env.put("ORDERS_WORKERS_PORT", String.valueOf(port));
    Process process = start("workers-" + (workers.size() + 1), withFaultInjection(ModuleJars.executable("workers")), env);
    workers.add(process);
    workerUrls.put(process, "http://127.0.0.1:" + port);
    await("workers", Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
    return process;
  }

  /**
   * Starts a workers process of another build, for a rollout test: the same jar with ORDERS_BUILD_ID
   * {@code buildId} and {@code settings} on top of the usual environment, its log workers-{@code buildId}.log;
   * waits until it is healthy. It is not one of {@link #workers()}: the environment's own build is
   * what {@link #restoreStack} brings back, and the test that starts another build stops it
   * ({@link #stopWorkers}).
   */
  public synchronized Process startWorkersOfBuild(String buildId, Map<String, String> settings) {
    int port = LocalPostgres.freePort();
    Map<String, String> env = commonEnv();
    env.putAll(engineClient("orders-workers"));
    env.putAll(settings);
    env.put("ORDERS_BUILD_ID", buildId);
    env.put("ORDERS_WORKERS_PORT", String.valueOf(port));
    Process process = start("workers-" + buildId, withFaultInjection(ModuleJars.executable("workers")), env);
    await("workers of build " + buildId, Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
    return process;
  }

  /** Stops a workers process gracefully (SIGTERM: it finishes the tasks it holds) and waits until it is gone. */
  public void stopWorkers(Process workersProcess) {
    stopProcess(workersProcess);
  }

  /**
   * Starts the Kafka broker (again) on the same port and data directory with ./run kafka, and waits
   * until it has said that its topics exist.
   */
  public synchronized void startKafka() {
    Path log = logs.resolve("run-kafka.log");
    long logStart = log.toFile().length();
    kafka = start("run-kafka", kafkaCommand, Map.of());
    await("Kafka (./run kafka)", Duration.ofSeconds(120), () -> logSince(log, logStart).contains("Kafka ready"));
  }

  /** Stops the broker (SIGTERM); its data stays for {@link #startKafka}. */
  public synchronized void stopKafka() {
    stopProcess(kafka);
  }

  /** Starts one more outbox relay process and waits until it is healthy; returns it. */
  public synchronized Process startRelay() {
    int port = LocalPostgres.freePort();
    Map<String, String> env = commonEnv();
    env.put("ORDERS_RELAY_PORT", String.valueOf(port));
    env.put("ORDERS_KAFKA_BOOTSTRAP", kafkaBootstrap);
    Process process = start("relay-" + (relays.size() + 1), List.of(java(), "-jar", ModuleJars.executable("relay").toString()), env);
    relays.add(process);
    relayUrls.put(process, "http://127.0.0.1:" + port);
    await("relay", Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
    return process;
  }

  /** Stops a relay gracefully (SIGTERM: it finishes its claim) and waits until it is gone. */
  public void stopRelay(Process relay) {
    stopProcess(relay);
  }

  /** The relay processes started so far (some may have been stopped or killed). */
  public synchronized List<Process> relays() {
    return List.copyOf(relays);
  }

  /** The base URL (actuator: health, metrics) of a relay process. */
  public synchronized String relayUrl(Process relay) {
    return relayUrls.get(relay);
  }

  /** The base URLs (actuator: health, metrics) of the workers processes still alive. */
  public synchronized List<String> liveWorkerUrls() {
    return workers.stream().filter(Process::isAlive).map(workerUrls::get).toList();
  }

  /**
   * Starts the engine (again) on the same ports and state, and waits until it serves: the dev server
   * on its SQLite file; the real server on its PostgreSQL databases, through ./run temporal-server,
   * which brings the schema up to date, registers the namespace and search attributes where missing
   * and starts the Web UI server, then says it is ready.
   */
  public synchronized void startTemporal() {
    if (engine == Engine.DEV) {
      temporal = start("temporal", temporalCommand, temporalEnv);
      await(engine.description, Duration.ofSeconds(90), () -> run(temporalCli(List.of("operator", "cluster", "health"))));
      return;
    }
    Path log = logs.resolve(RUN_TEMPORAL_SERVER + ".log");
    long logStart = log.toFile().length(); // the log is appended to: only this start's "ready" counts
    temporal = start(RUN_TEMPORAL_SERVER, temporalCommand, temporalEnv);
    await(engine.description + " (./run temporal-server; its own logs beside)", Duration.ofSeconds(180),
        () -> logSince(log, logStart).contains("production engine ready"));
  }

  /**
   * Stops the engine gracefully (SIGTERM); its state stays (SQLite file, PostgreSQL) for
   * {@link #startTemporal}. On the real server ./run stops the server and the Web UI server.
   */
  public synchronized void stopTemporal() {
    stopProcess(temporal);
  }

  /**
   * The real Temporal server's own process (./run temporal-server's child, not the Web UI server), to
   * kill or to check that it survived something.
   */
  public synchronized ProcessHandle temporalServerProcess() {
    requireEngine(Engine.SERVER, "the Temporal server process");
    return temporal.descendants()
        .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("temporal-server-"))
            .orElse(false))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no temporal-server process under ./run temporal-server; see " + logs));
  }

  /**
   * SIGKILLs the real Temporal server (no shutdown of any kind: shards, queues, connections simply
   * vanish) and waits until it is gone and ./run, seeing it die, has stopped the Web UI server and
   * exited. {@link #startTemporal} (or {@link #restoreStack}) starts it again on the same databases.
   */
  public synchronized void killTemporalServer() {
    ProcessHandle server = temporalServerProcess();
    server.destroyForcibly();
    try {
      server.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
      if (!temporal.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("./run temporal-server went on after its server was killed; see " + logs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the SIGKILLed Temporal server (pid " + server.pid() + ") did not go", e);
    }
  }

  /** Fails (never skips) a test that needs another engine than the one this JVM runs. */
  public void requireEngine(Engine needed, String what) {
    if (engine != needed) {
      throw new IllegalStateException(what + " needs the " + needed.description + ", and this JVM runs the "
          + engine.description + ": run it with -D" + Engine.PROPERTY + "=" + needed.name().toLowerCase()
          + " (the " + needed.name().toLowerCase() + "-engine execution of system-tests/pom.xml does)");
    }
  }

  /** Starts the api process (again) on the same port and waits until it is healthy. */
  public synchronized void startApi() {
    Map<String, String> env = commonEnv();
    env.putAll(engineClient("orders-api"));
    env.putAll(apiEnv);
    api = start("api", withFaultInjection(ModuleJars.executable("api")), env);
    await("api", Duration.ofSeconds(120), () -> healthy(apiUrl));
  }

  /**
   * Stops the api and every workers process, then starts the api and one workers process again with
   * {@code settings} on top of the usual environment (they stay for later restarts): how an operator
   * rolls out a configuration change, e.g. encryption switched on or a new key.
   */
  public synchronized void restartApiAndWorkers(Map<String, String> settings) {
    stopProcess(api);
    workers.stream().filter(Process::isAlive).forEach(EndToEndEnvironment::stopProcess);
    overrides.putAll(settings);
    startWorkers();
    startApi();
  }

  /** Restarts the api alone with {@code settings} on top of its usual environment (they stay). */
  public synchronized void restartApi(Map<String, String> settings) {
    stopProcess(api);
    apiEnv.putAll(settings);
    startApi();
  }

  /**
   * Runs the shipment deadline sweep now, as an operator's "Trigger" on its schedule in the Web UI
   * does (the workers created the schedule; here it runs every 24 h, by default every 5 minutes). Even
   * while a sweep runs: the schedule's own runs skip an overlap, which would drop this one.
   */
  public void triggerShipmentDeadlineSweep() {
    ScheduleClient.newInstance(workflowClient.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder().setNamespace(workflowClient.getOptions().getNamespace()).build())
        .getHandle(ShipmentDeadlineSweep.SCHEDULE_ID).trigger(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
  }

  /**
   * The Temporal CLI running {@code args} against this stack's engine and namespace, as an operator: on
   * the production engine over TLS with the operator's token (in the CLI's environment, not its arguments).
   */
  public ProcessBuilder temporalCli(List<String> args) {
    List<String> command = new ArrayList<>(List.of(temporalCli));
    command.addAll(args);
    command.addAll(List.of("--address", temporalTarget, "--namespace", "default"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (engine == Engine.SERVER) {
      builder.environment().put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", temporalTlsCa().toString());
      builder.environment().put("TEMPORAL_API_KEY", token("operator"));
    }
    return builder;
  }

  /**
   * The api's codec as the Web UI calls it: on the production engine, the endpoint ./run temporal-server
   * gives its UI server (localhost); on the dev server, the one the tests enter in the UI's settings.
   */
  public String codecEndpoint() {
    return (engine == Engine.DEV ? apiUrl : apiUrl.replace("127.0.0.1", "localhost")) + "/codec";
  }

  /** The CA the production engine's frontend certificate is signed by. */
  public Path temporalTlsCa() {
    requireEngine(Engine.SERVER, "the engine's CA");
    return engineTls.resolve("ca.pem");
  }

  /**
   * How a client of the engine connects as {@code clientId} (a demo client of docs/API.md): on the
   * production engine over TLS with that client's token, on the dev server in plaintext.
   */
  public TemporalAccess temporalAccess(String clientId) {
    return engine == Engine.DEV ? TemporalAccess.plaintext() : TemporalAccess.from(engineClient(clientId)::get);
  }

  /** The ORDERS_TEMPORAL_* settings of a process that connects to the engine as {@code clientId}; none on the dev server. */
  private Map<String, String> engineClient(String clientId) {
    if (engine == Engine.DEV) {
      return Map.of();
    }
    return Map.of(TemporalAccess.TLS_CA, temporalTlsCa().toString(), TemporalAccess.CLIENT_ID, clientId,
        TemporalAccess.CLIENT_SECRET, clientId + "-secret", TemporalAccess.TOKEN_URL, issuerUrl + "/oauth2/token");
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
    env.put("ORDERS_AUTH_ISSUER", issuerUrl); // the workers check operators' tokens for their metrics too
    env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", traces.endpoint());
    env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms");
    env.put("ORDERS_TRACING_SAMPLING", "1.0"); // every order traced: TracingIT looks at one
    env.put("ORDERS_TRACING_SQL", "true"); // and its SQL statements, which TracingIT finds under the activities
    env.put("ORDERS_REVIEW_DEADLINE", REVIEW_DEADLINE.toString()); // a review expires within a test, not a day
    // the deadline sweep runs only when a test triggers it, never in the middle of another's checks
    env.put("ORDERS_SHIPMENT_SWEEP_INTERVAL", "24h");
    env.put("ORDERS_ENCRYPTION_KEYS", firstPayloadKey); // the production default: payloads encrypted
    env.putAll(overrides);
    return env;
  }

  /**
   * The command that runs a production jar with devtools' fault injection added: Spring Boot's
   * PropertiesLauncher takes extra jars from loader.path. Harmless while injected_faults is empty.
   */
  private static List<String> withFaultInjection(Path executableJar) {
    return List.of(java(), "-Dloader.path=" + ModuleJars.plain("devtools"), "-cp", executableJar.toString(),
        "org.springframework.boot.loader.launch.PropertiesLauncher", "--orders.fault-injection.enabled=true");
  }

  /**
   * Brings back whatever an earlier test stopped or killed and failed to restart (a failed crash
   * test must not poison the tests after it): PostgreSQL, Temporal, Kafka, the api and at least one
   * workers process and one relay.
   */
  public synchronized void restoreStack() {
    TestPostgres.server().restart(); // a no-op while it runs
    if (!temporal.isAlive()) {
      startTemporal();
    }
    if (!kafka.isAlive()) {
      startKafka();
    }
    if (relays.stream().noneMatch(Process::isAlive)) {
      startRelay();
    }
    if (workers.stream().noneMatch(Process::isAlive)) {
      startWorkers();
    }
    if (!api.isAlive()) {
      startApi();
    }
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

  /** Waits until {@code ready}; fails at once if the process just started exits meanwhile. */
  private void await(String what, Duration timeout, BooleanSupplier ready) {
    Process newest = processes.get(processes.size() - 1);
    Awaitility.await(what + " ready (logs: " + logs.toAbsolutePath() + ")")
        .atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          if (!newest.isAlive()) {
            throw new IllegalStateException(what + ": exited with " + newest.exitValue() + "; see " + logs.toAbsolutePath()
                + newestLogTail());
          }
          return ready.getAsBoolean();
        });
  }

  /** The end of the log of the process started last, for a failure message. */
  private String newestLogTail() {
    try (var files = Files.list(logs)) {
      Path newest = files.filter(Files::isRegularFile)
          .max(java.util.Comparator.comparingLong(f -> f.toFile().lastModified())).orElse(null);
      if (newest == null) {
        return "";
      }
      List<String> lines = Files.readAllLines(newest);
      return "\n" + newest.getFileName() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static String logSince(Path log, long offset) {
    try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
      file.seek(Math.min(offset, file.length()));
      byte[] rest = new byte[(int) (file.length() - file.getFilePointer())];
      file.readFully(rest);
      return new String(rest, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * A frontend port P for the real server all of whose ports are free now: it also binds P+1, P+2,
   * P+6 (reserved), P+10 and the membership ports P-300, P-299, P-298, P-294 (docs/operations.md, The two
   * engines). Below the kernel's ephemeral range (32768 up), where no outgoing connection takes them.
   */
  private static int freeTemporalServerPort() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = 20_300 + random.nextInt(12_000);
      if (java.util.stream.IntStream.of(0, 1, 2, 6, 10, -300, -299, -298, -294).allMatch(offset -> free(p + offset))) {
        return p;
      }
    }
    throw new IllegalStateException("no free set of ports for the Temporal server between 20000 and 32400");
  }

  /** A free port whose next one is free too: ./run kafka's controller listens there. */
  private static int freeKafkaPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p = LocalPostgres.freePort();
      if (free(p + 1)) {
        return p;
      }
    }
    throw new IllegalStateException("no two free ports in a row for Kafka");
  }

  private static boolean free(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
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

  private static boolean run(ProcessBuilder command) {
    try {
      Process p = command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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

  /** ./run, whose temporal-server command starts the real server. */
  private static final Path RUN = Path.of("..", "run");
  private static final String RUN_TEMPORAL_SERVER = "run-temporal-server";

  private static String temporalCli() {
    String cli = System.getenv("ORDERS_TEMPORAL_CLI");
    if (cli == null || !new File(cli).canExecute()) {
      throw new IllegalStateException("The end-to-end tests need the Temporal CLI: run them with `./run test`, "
          + "which provisions it (and the real server's binaries), or set ORDERS_TEMPORAL_CLI to a temporal binary (was: "
          + cli + ")");
    }
    return cli;
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
    ScratchDirectory.deleteQuietly(scratch);
  }

  private static void stopProcess(Process p) {
    List<ProcessHandle> children = p.descendants().toList(); // ./run temporal-server's server and Web UI server
    p.destroy();
    try {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
