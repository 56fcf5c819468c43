package com.example.orders.devtools.replay;

import ch.qos.logback.classic.Level;
import com.example.orders.temporal.access.TemporalAccess;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.order.replay.PinnedBuild;
import com.example.orders.workflows.order.replay.ReplayDiagnosis;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./run replay [N] [closed|running|all]}, the gate before a deploy, against a running Temporal:
 * <ul>
 *   <li>OrderWorkflow is PINNED: it lists which builds still have open orders (each must keep its
 *       workers until drained) and replays the open orders of unversioned workers against this
 *       build, since they move to the first build made current.
 *   <li>ShipmentWorkflow upgrades in place: the newest N of its runs (running by default) replay
 *       against this build.
 * </ul>
 * The server is ORDERS_TEMPORAL_TARGET / ORDERS_TEMPORAL_NAMESPACE, reached with the TLS and credential
 * settings the api and workers read ({@link TemporalAccess}); this build is ORDERS_BUILD_ID.
 * Exit status 0: everything replayed; 1: at least one history does not; 2: usage or connection error.
 */
public final class ReplayFromServer {

  /** The search attribute the server keeps with the deployment version a run is on ({@code orders:<build id>}). */
  static final String DEPLOYMENT_VERSION_ATTRIBUTE = "TemporalWorkerDeploymentVersion";

  /** Which executions to replay, as a visibility filter. */
  public enum Selection {
    CLOSED("closed", " AND ExecutionStatus != 'Running'"),
    RUNNING("running", " AND ExecutionStatus = 'Running'"),
    ALL("running or closed", "");

    private final String description;
    private final String filter;

    Selection(String description, String filter) {
      this.description = description;
      this.filter = filter;
    }
  }

  /** How many histories were replayed, and one line per history that did not replay. */
  public record Result(int replayed, List<String> failures) {}

  private ReplayFromServer() {}

  /**
   * Replays the newest {@code limit} executions of {@code workflowType} selected by {@code
   * selection} against {@code workflowImplementation}, in the server's listing order (newest first).
   */
  public static Result replay(WorkflowClient client, String workflowType, Selection selection, int limit,
      Class<?> workflowImplementation) throws Exception {
    return replay(client, "WorkflowType = '" + workflowType + "'" + selection.filter, limit, workflowImplementation);
  }

  private static Result replay(WorkflowClient client, String query, int limit, Class<?> workflowImplementation)
      throws Exception {
    List<String> failures = new ArrayList<>();
    int replayed = 0;
    // The replay worker decodes with the client's converter: encrypted histories need its keys.
    TestEnvironmentOptions replayOptions = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(client.getOptions().getDataConverter()).build())
        .build();
    try (TestWorkflowEnvironment replayEnv = TestWorkflowEnvironment.newInstance(replayOptions)) {
      Worker worker = replayEnv.newWorker("replay");
      worker.registerWorkflowImplementationTypes(workflowImplementation);
      // One history at a time: N can be large, histories are fetched and dropped as we go.
      Iterator<WorkflowExecution> executions = client.listExecutions(query).limit(limit)
          .map(WorkflowExecutionMetadata::getExecution).iterator();
      while (executions.hasNext()) {
        WorkflowExecution execution = executions.next();
        WorkflowExecutionHistory history =
            client.fetchHistory(execution.getWorkflowId(), execution.getRunId());
        try {
          WorkflowReplayer.replayWorkflowExecution(history, worker);
        } catch (Exception e) {
          failures.add(execution.getWorkflowId() + " (run " + execution.getRunId() + "): "
              + ReplayDiagnosis.explain(e, history));
        }
        replayed++;
      }
    }
    return new Result(replayed, failures);
  }

  /** Open OrderWorkflow runs by the build they are pinned to ({@link PinnedBuild#UNVERSIONED} for none). */
  public static Map<String, Long> openOrdersByBuild(WorkflowClient client) {
    return client.listExecutions(openOrders(""))
        .collect(Collectors.groupingBy(ReplayFromServer::build, TreeMap::new, Collectors.counting()));
  }

  private static String openOrders(String filter) {
    return "WorkflowType = '" + OrderContract.WORKFLOW_TYPE + "' AND ExecutionStatus = 'Running'" + filter;
  }

  private static String build(WorkflowExecutionMetadata run) {
    Payload version = run.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap()
        .get(DEPLOYMENT_VERSION_ATTRIBUTE);
    String name = version == null ? null
        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(version, String.class, String.class);
    return name == null || name.isBlank() ? PinnedBuild.UNVERSIONED : name;
  }

  public static void main(String[] args) throws Exception {
    // A command-line tool: the SDK's and the in-memory replay server's INFO lines are noise here.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int limit;
    Selection selection;
    try {
      limit = args.length > 0 ? Integer.parseInt(args[0]) : 50;
      selection = args.length > 1 ? Selection.valueOf(args[1].toUpperCase(Locale.ROOT)) : Selection.RUNNING;
      if (limit < 1 || args.length > 2) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException usage) {
      System.err.println("usage: ./run replay [N (default 50)] [closed|running|all (default running)]");
      System.exit(2);
      return;
    }
    String target = System.getenv("ORDERS_TEMPORAL_TARGET");
    if (target == null || target.isBlank()) {
      System.err.println("set ORDERS_TEMPORAL_TARGET to the Temporal frontend (./run replay sets it to the local dev server)");
      System.exit(2);
      return;
    }
    TemporalAccess access;
    try {
      access = TemporalAccess.fromEnvironment();
    } catch (IllegalArgumentException misconfigured) {
      System.err.println(misconfigured.getMessage());
      System.exit(2);
      return;
    }
    String thisBuild = "orders:" + Objects.requireNonNullElse(System.getenv("ORDERS_BUILD_ID"), "(ORDERS_BUILD_ID not set)");
    String namespace = Objects.requireNonNullElse(System.getenv("ORDERS_TEMPORAL_NAMESPACE"), OrderContract.NAMESPACE);
    System.out.printf("Checking %s (%s), namespace %s, before deploying %s%n", target, access.describe(), namespace,
        thisBuild);

    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        access.configure(WorkflowServiceStubsOptions.newBuilder().setTarget(target)).build());
    List<String> failures = new ArrayList<>();
    try {
      // Decrypts with the keys the api and workers have (ORDERS_ENCRYPTION_KEYS_FILE or _KEYS); encrypts nothing.
      PayloadKeyring keys = PayloadKeyring.configured(
          System.getenv("ORDERS_ENCRYPTION_KEYS_FILE"), System.getenv("ORDERS_ENCRYPTION_KEYS"));
      WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
          .setNamespace(namespace)
          .setDataConverter(new PayloadEncryptionCodec(keys, false).dataConverter())
          .build());

      Map<String, Long> byBuild = openOrdersByBuild(client);
      System.out.println(OrderContract.WORKFLOW_TYPE + " is pinned: open orders by build"
          + (byBuild.isEmpty() ? ": none" : ""));
      byBuild.forEach((build, open) -> System.out.printf("  %-60s %5d open  %s%n", build, open,
          build.equals(thisBuild) ? "this build"
              : build.equals(PinnedBuild.UNVERSIONED) ? "move to the first build made current: replayed below"
              : "keep this build's workers until it is drained"));
      if (byBuild.containsKey(PinnedBuild.UNVERSIONED)) {
        failures.addAll(report("open unversioned " + OrderContract.WORKFLOW_TYPE,
            replay(client, openOrders(" AND TemporalWorkerDeployment IS NULL"), limit, OrderWorkflowImpl.class)));
      }
      failures.addAll(report("ShipmentWorkflow (" + selection.description + ", upgrades in place)",
          replay(client, "ShipmentWorkflow", selection, limit, ShipmentWorkflowImpl.class)));
    } catch (StatusRuntimeException unreachable) {
      System.err.println("cannot list workflows on " + target + ": " + unreachable.getMessage());
      System.exit(2);
      return;
    } finally {
      stubs.shutdownNow();
    }
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private static List<String> report(String what, Result result) {
    result.failures().forEach(failure -> System.out.println("  DOES NOT REPLAY " + failure));
    System.out.printf("%s: replayed %d against this build, %d ok, %d failed%n", what,
        result.replayed(), result.replayed() - result.failures().size(), result.failures().size());
    return result.failures();
  }
}
