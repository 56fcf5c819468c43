package com.example.orders.devtools.replay;

import ch.qos.logback.classic.Level;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.order.replay.ReplayDiagnosis;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./run replay [N] [closed|running|all]}: replays the newest N OrderWorkflow executions of
 * a running Temporal against the OrderWorkflowImpl of this build, to check a deploy before it
 * ships. Closed executions by default; {@code running} are the ones the new code would take over.
 * The server is ORDERS_TEMPORAL_TARGET / ORDERS_TEMPORAL_NAMESPACE (./run replay defaults the target to
 * the local dev server).
 * Exit status 0: everything replayed; 1: at least one history does not; 2: usage or connection error.
 */
public final class ReplayFromServer {

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
   * Replays the newest {@code limit} OrderWorkflow executions selected by {@code selection} against
   * {@code workflowImplementation}, in the server's listing order (newest first).
   */
  public static Result replay(WorkflowClient client, Selection selection, int limit,
      Class<?> workflowImplementation) throws Exception {
    String query = "WorkflowType = '" + OrderContract.WORKFLOW_TYPE + "'" + selection.filter;
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

  public static void main(String[] args) throws Exception {
    // A command-line tool: the SDK's and the in-memory replay server's INFO lines are noise here.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int limit;
    Selection selection;
    try {
      limit = args.length > 0 ? Integer.parseInt(args[0]) : 50;
      selection = args.length > 1 ? Selection.valueOf(args[1].toUpperCase(Locale.ROOT)) : Selection.CLOSED;
      if (limit < 1 || args.length > 2) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException usage) {
      System.err.println("usage: ./run replay [N (default 50)] [closed|running|all (default closed)]");
      System.exit(2);
      return;
    }
    String target = System.getenv("ORDERS_TEMPORAL_TARGET");
    if (target == null || target.isBlank()) {
      System.err.println("set ORDERS_TEMPORAL_TARGET to the Temporal frontend (./run replay sets it to the local dev server)");
      System.exit(2);
      return;
    }
    String namespace = Objects.requireNonNullElse(System.getenv("ORDERS_TEMPORAL_NAMESPACE"), OrderContract.NAMESPACE);
    System.out.printf("Replaying the newest %d %s executions (%s) of %s, namespace %s, against this build%n",
        limit, OrderContract.WORKFLOW_TYPE, selection.description, target, namespace);

    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    Result result;
    try {
      // Decrypts with the keys the api and workers have (ORDERS_ENCRYPTION_KEYS_FILE or _KEYS); encrypts nothing.
      PayloadKeyring keys = PayloadKeyring.configured(
          System.getenv("ORDERS_ENCRYPTION_KEYS_FILE"), System.getenv("ORDERS_ENCRYPTION_KEYS"));
      WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
          .setNamespace(namespace)
          .setDataConverter(new PayloadEncryptionCodec(keys, false).dataConverter())
          .build());
      result = replay(client, selection, limit, OrderWorkflowImpl.class);
    } catch (StatusRuntimeException unreachable) {
      System.err.println("cannot list workflows on " + target + ": " + unreachable.getMessage());
      System.exit(2);
      return;
    } finally {
      stubs.shutdownNow();
    }
    result.failures().forEach(failure -> System.out.println("  DOES NOT REPLAY " + failure));
    System.out.printf("replayed %d workflows: %d ok, %d failed%n",
        result.replayed(), result.replayed() - result.failures().size(), result.failures().size());
    System.exit(result.failures().isEmpty() ? 0 : 1);
  }
}
