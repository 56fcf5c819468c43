package com.example.orders.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.orders.systemtests.EndToEndEnvironment.Engine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the production engine (docs/security.md, The Temporal engine), asked of its
 * frontend directly over gRPC, each refusal exactly as the server words it: TLS is required, and every
 * call needs a token of our issuer whose {@code permissions} claim grants it.
 */
@Tag(Engine.BOTH)
@Tag(Engine.SERVER_ONLY)
class EngineAccessIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();
  /** What Temporal's authorization interceptor answers to every refused call, whatever the reason. */
  private static final String REFUSED = "PERMISSION_DENIED: Request unauthorized.";
  private static final String NAMESPACE = "default";
  private static final List<WorkflowServiceStubs> opened = new ArrayList<>();

  @AfterAll
  static void closeStubs() {
    opened.forEach(WorkflowServiceStubs::shutdownNow);
  }

  @Test
  void aPlaintextConnectionIsRefused() {
    WorkflowServiceBlockingStub plaintext = stub(false, env.token("operator"));
    assertThatThrownBy(() -> plaintext.listWorkflowExecutions(list()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void tlsWithoutACredentialIsRefused() {
    assertRefused(stub(true, null), s -> s.listWorkflowExecutions(list()));
  }

  @Test
  void aCustomersOrTheCarriersTokenIsRefused() {
    assertRefused(stub(true, env.token("user_1")), s -> s.listWorkflowExecutions(list()));
    assertRefused(stub(true, env.token("carrier")), s -> s.listWorkflowExecutions(list()));
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() throws Exception {
    // the claims of an operator's token, signed by a key our issuer never published
    String operator = env.token("operator");
    String[] parts = operator.split("\\.");
    String header = base64Url("{\"alg\":\"RS256\",\"kid\":\"" + UUID.randomUUID() + "\",\"typ\":\"JWT\"}");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(generator.generateKeyPair().getPrivate());
    rsa.update((header + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    String forged = header + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    assertRefused(stub(true, forged), s -> s.listWorkflowExecutions(list()));
  }

  @Test
  void aTokenWithAnEditedPayloadIsRefused() {
    String[] parts = env.token("orders-workers").split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"default:worker\"");
    String edited = parts[0] + "." + base64Url(claims.replace("\"default:worker\"", "\"default:admin\"")) + "." + parts[2];
    assertRefused(stub(true, edited), s -> s.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
        .setNamespace(NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("any")).build()));
  }

  /**
   * The workers' credential takes and completes a workflow task, so it runs workflows; it may not end one
   * another way. A probe workflow on a task queue of its own, so no worker of the stack takes its tasks.
   */
  @Test
  void theWorkersCredentialRunsWorkflowsButCannotTerminateOne() {
    WorkflowServiceBlockingStub workers = stub(true, env.token("orders-workers"));
    WorkflowServiceBlockingStub operator = stub(true, env.token("operator"));
    String taskQueue = "engine-access-" + UUID.randomUUID();

    WorkflowExecution first = start(operator, taskQueue);
    PollWorkflowTaskQueueResponse task = workers.withDeadlineAfter(30, TimeUnit.SECONDS)
        .pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue)).setIdentity("engine-access-it").build());
    assertThat(task.getWorkflowExecution().getWorkflowId()).isEqualTo(first.getWorkflowId());
    workers.respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace(NAMESPACE)
        .setTaskToken(task.getTaskToken()).setIdentity("engine-access-it")
        .addCommands(Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
            .setCompleteWorkflowExecutionCommandAttributes(CompleteWorkflowExecutionCommandAttributes.newBuilder()
                .setResult(Payloads.getDefaultInstance())))
        .build());
    assertThat(status(operator, first)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    WorkflowExecution second = start(operator, taskQueue);
    assertRefused(workers, s -> s.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
        .setNamespace(NAMESPACE).setWorkflowExecution(second).setReason("engine-access-it").build()));
    assertRefused(workers, s -> s.requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
        .setNamespace(NAMESPACE).setWorkflowExecution(second).build()));
    assertRefused(workers, s -> s.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
        .setNamespace(NAMESPACE).setWorkflowExecution(second).setSignalName("engine-access-it").build()));
    assertThat(status(operator, second)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    operator.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
        .setWorkflowExecution(second).setReason("engine-access-it").build());
  }

  @Test
  void anOperatorsTokenListsAndCancels() {
    WorkflowServiceBlockingStub operator = stub(true, env.token("operator"));
    WorkflowExecution probe = start(operator, "engine-access-" + UUID.randomUUID());
    // the list reads visibility, which the server writes after the start (asynchronously)
    await("the probe listed").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(operator.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE)
            .setQuery("WorkflowId = '" + probe.getWorkflowId() + "'").build()).getExecutionsList())
            .extracting(info -> info.getExecution().getRunId()).containsExactly(probe.getRunId()));
    operator.requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
        .setWorkflowExecution(probe).setIdentity("engine-access-it").build());
    // cancellation is a request the workflow's code answers; the probe has none, so it stays open with the
    // request in its history
    assertThat(env.workflowClient.fetchHistory(probe.getWorkflowId(), probe.getRunId()).getEvents())
        .anySatisfy(event -> assertThat(event.hasWorkflowExecutionCancelRequestedEventAttributes()).isTrue());
    operator.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
        .setWorkflowExecution(probe).setReason("engine-access-it").build());
  }

  private static WorkflowExecution start(WorkflowServiceBlockingStub stub, String taskQueue) {
    String workflowId = "engine-access-" + UUID.randomUUID();
    String runId = stub.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
        .setWorkflowId(workflowId).setRequestId(UUID.randomUUID().toString())
        .setWorkflowType(WorkflowType.newBuilder().setName("EngineAccessProbe"))
        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
        .setWorkflowRunTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(300))
        .setIdentity("engine-access-it").build()).getRunId();
    return WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build();
  }

  private static WorkflowExecutionStatus status(WorkflowServiceBlockingStub stub, WorkflowExecution execution) {
    return stub.describeWorkflowExecution(io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(NAMESPACE).setExecution(execution).build()).getWorkflowExecutionInfo().getStatus();
  }

  private static void assertRefused(WorkflowServiceBlockingStub stub, Function<WorkflowServiceBlockingStub, ?> call) {
    assertThatThrownBy(() -> call.apply(stub)).isInstanceOf(StatusRuntimeException.class).hasMessage(REFUSED);
  }

  private static ListWorkflowExecutionsRequest list() {
    return ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE).setPageSize(1).build();
  }

  /** Stubs to the engine's frontend: over TLS trusting its CA, or plaintext; with a bearer token or none. */
  private static WorkflowServiceBlockingStub stub(boolean tls, String token) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(env.temporalTarget).setRpcTimeout(Duration.ofSeconds(10));
    try {
      if (tls) {
        options.setSslContext(SimpleSslContextBuilder.noKeyOrCertChain().setTrustManager(trustingEngineCa()).build());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (token != null) {
      options.addApiKey(() -> token);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    opened.add(stubs);
    return stubs.blockingStub();
  }

  private static javax.net.ssl.TrustManager trustingEngineCa() throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream ca = Files.newInputStream(env.temporalTlsCa())) {
      store.setCertificateEntry("engine-ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers()[0];
  }

  private static String base64Url(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
