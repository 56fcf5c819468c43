package com.example.orders.temporal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.temporal.access.ClientCredentialsToken.TokenUnavailableException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS: a gRPC frontend on 127.0.0.1 serving the WorkflowService with a certificate for {@value
 * TestCertificates#SERVER_NAME} signed by a test CA, asking for (not requiring) a client certificate.
 * The stubs are built as the bench and ./run replay build them, from the ORDERS_TEMPORAL_* settings.
 */
class TemporalAccessTlsTests {

  /** What the frontend saw of one call. */
  record Seen(String authorization, String clientCertificate) {}

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir
  static Path dir;
  static TestCertificates certificates;
  static Server frontend;
  static FakeIssuer issuer;
  static final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.createIn(dir);
    issuer = new FakeIssuer("Basic " + Base64.getEncoder().encodeToString("orders-workers:secret".getBytes(StandardCharsets.UTF_8)));
    ServerInterceptor recordCaller = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        seen.add(new Seen(headers.get(AUTHORIZATION), clientCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))));
        return next.startCall(call, headers);
      }
    };
    WorkflowServiceGrpc.WorkflowServiceImplBase systemInfo = new WorkflowServiceGrpc.WorkflowServiceImplBase() {
      @Override
      public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        response.onNext(GetSystemInfoResponse.newBuilder().setServerVersion("tls-test").build());
        response.onCompleted();
      }
    };
    frontend = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sslContext(GrpcSslContexts.forServer(certificates.serverCert().toFile(), certificates.serverKey().toFile())
            .trustManager(certificates.ca().toFile())
            .clientAuth(ClientAuth.OPTIONAL)
            .build())
        .addService(ServerInterceptors.intercept(systemInfo, recordCaller))
        .build()
        .start();
  }

  private static String clientCertificate(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException none) {
      return null;
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    frontend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    issuer.close();
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  /** Calls GetSystemInfo through stubs configured from the settings, as the tools do. */
  private static GetSystemInfoResponse call(String... nameValuePairs) {
    TemporalAccess access = TemporalAccessTests.access(nameValuePairs);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(access.configure(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + frontend.getPort())).build());
    try {
      return stubs.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void theIssuersTokenArrivesAsBearerOverMutualTls() {
    GetSystemInfoResponse answer = call(
        TemporalAccess.TLS_CA, certificates.ca().toString(),
        TemporalAccess.TLS_SERVER_NAME, TestCertificates.SERVER_NAME,
        TemporalAccess.TLS_CERT, certificates.clientCert().toString(),
        TemporalAccess.TLS_KEY, certificates.clientKey().toString(),
        TemporalAccess.CLIENT_ID, "orders-workers",
        TemporalAccess.CLIENT_SECRET, "secret",
        TemporalAccess.TOKEN_URL, issuer.tokenUrl().toString());

    assertThat(answer.getServerVersion()).isEqualTo("tls-test");
    assertThat(seen).containsExactly(new Seen("Bearer token-1", "CN=" + TestCertificates.CLIENT_NAME));
  }

  @Test
  void anApiKeyArrivesAsBearerWithoutAClientCertificate() {
    call(TemporalAccess.TLS_CA, certificates.ca().toString(),
        TemporalAccess.TLS_SERVER_NAME, TestCertificates.SERVER_NAME,
        TemporalAccess.API_KEY, "cloud-key");

    assertThat(seen).containsExactly(new Seen("Bearer cloud-key", null));
  }

  @Test
  void aServerCertificateFromAnotherCaFailsTheHandshake() {
    assertThatThrownBy(() -> call(TemporalAccess.TLS_CA, certificates.otherCa().toString(),
        TemporalAccess.TLS_SERVER_NAME, TestCertificates.SERVER_NAME, TemporalAccess.API_KEY, "cloud-key"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasStackTraceContaining("PKIX path building failed");
    assertThat(seen).as("no call reached the frontend").isEmpty();
  }

  @Test
  void withoutTheServerNameTheCertificateDoesNotMatchTheAddress() {
    assertThatThrownBy(() -> call(TemporalAccess.TLS_CA, certificates.ca().toString()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    assertThat(seen).isEmpty();
  }

  @Test
  void aRefusedClientFailsTheCallWithTheIssuersAnswerBeforeAnythingIsSent() {
    assertThatThrownBy(() -> call(TemporalAccess.TLS_CA, certificates.ca().toString(),
        TemporalAccess.TLS_SERVER_NAME, TestCertificates.SERVER_NAME,
        TemporalAccess.CLIENT_ID, "orders-workers", TemporalAccess.CLIENT_SECRET, "wrong",
        TemporalAccess.TOKEN_URL, issuer.tokenUrl().toString()))
        .isInstanceOfSatisfying(TokenUnavailableException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
        .hasMessageContaining("refused client orders-workers a token for Temporal: HTTP 401 invalid_client");
    assertThat(seen).isEmpty();
  }
}
