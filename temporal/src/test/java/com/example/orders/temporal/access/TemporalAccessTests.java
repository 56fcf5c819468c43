package com.example.orders.temporal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.grpc.ManagedChannelBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ORDERS_TEMPORAL_* settings, as the bench and ./run replay read them, turned into the stubs' options. */
class TemporalAccessTests {

  @TempDir
  static Path dir;
  static TestCertificates certificates;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = TestCertificates.createIn(dir);
  }

  /** The access the settings give, as {@code name, value, name, value...}. */
  static TemporalAccess access(String... nameValuePairs) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      settings.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return TemporalAccess.from(settings::get);
  }

  private static WorkflowServiceStubsOptions options(String... nameValuePairs) {
    return access(nameValuePairs).configure(WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233")).build();
  }


  @Test
  void nothingSetLeavesTheDevServersPlaintextConnectionAsItWas() {
    WorkflowServiceStubsOptions untouched = WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233").build();
    // blank counts as unset: compose files and scripts pass empty variables
    WorkflowServiceStubsOptions configured = options(TemporalAccess.TLS_CA, " ", TemporalAccess.API_KEY, "");

    assertThat(configured).isEqualTo(untouched);
    assertThat(TemporalAccess.plaintext().configure(WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233"))
        .build()).isEqualTo(untouched);
    assertThat(configured.getEnableHttps()).isFalse();
    assertThat(configured.getSslContext()).isNull();
    assertThat(configured.getGrpcMetadataProviders()).isNullOrEmpty();
    assertThat(access().usesTls()).isFalse();
    assertThat(access()).hasToString("plaintext, no credential");
  }

  @Test
  void tlsTrueUsesTheSystemTrustStore() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.TLS, "TRUE");

    assertThat(options.getEnableHttps()).isTrue();
    assertThat(options.getSslContext()).as("the SDK's transport security: the JDK's trust store").isNull();
    assertThat(AuthorizationHeaders.sentWith(options)).isEmpty();
  }

  @Test
  void aCaFileTurnsTlsOnWithThatCa() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.TLS_CA, certificates.ca().toString());

    assertThat(options.getEnableHttps()).isTrue();
    assertThat(options.getSslContext()).isNotNull();
    assertThat(options.getSslContext().isClient()).isTrue();
    assertThat(access(TemporalAccess.TLS_CA, certificates.ca().toString()))
        .hasToString("TLS (CA " + certificates.ca() + "), no credential");
  }

  @Test
  void aClientCertificateAndKeyAreMutualTlsEvenWithoutACaFile() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.TLS_CERT, certificates.clientCert().toString(),
        TemporalAccess.TLS_KEY, certificates.clientKey().toString());

    assertThat(options.getEnableHttps()).isTrue();
    assertThat(options.getSslContext()).isNotNull();
  }

  @Test
  void theServerNameOverridesTheAuthorityTheCertificateIsCheckedFor() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.TLS_CA, certificates.ca().toString(),
        TemporalAccess.TLS_SERVER_NAME, "temporal.test");
    ManagedChannelBuilder<?> channel = mock(ManagedChannelBuilder.class);

    options.getChannelInitializer().accept(channel);

    verify(channel).overrideAuthority("temporal.test");
  }

  @Test
  void anApiKeyIsSentAsBearerOverTlsByDefault() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.API_KEY, "cloud-key");

    assertThat(AuthorizationHeaders.sentWith(options)).containsExactly("Bearer cloud-key");
    assertThat(options.getEnableHttps()).isTrue();
    assertThat(access(TemporalAccess.API_KEY, "cloud-key").toString())
        .isEqualTo("TLS (system trust store), API key").doesNotContain("cloud-key");
  }

  @Test
  void tlsFalseSendsTheCredentialInPlaintextWhenAskedTo() {
    WorkflowServiceStubsOptions options = options(TemporalAccess.API_KEY, "k", TemporalAccess.TLS, "false");

    assertThat(options.getEnableHttps()).isFalse();
    assertThat(AuthorizationHeaders.sentWith(options)).containsExactly("Bearer k");
  }

  @Test
  void clientCredentialsAskTheIssuersTokenEndpointAndTurnTlsOn() {
    TemporalAccess byDefault = access(TemporalAccess.CLIENT_ID, "orders-api", TemporalAccess.CLIENT_SECRET, "s3cret");
    TemporalAccess fromIssuer = access(TemporalAccess.CLIENT_ID, "orders-api", TemporalAccess.CLIENT_SECRET, "s3cret",
        TemporalAccess.ISSUER, "https://issuer.example/realms/orders/");
    TemporalAccess explicit = access(TemporalAccess.CLIENT_ID, "orders-api", TemporalAccess.CLIENT_SECRET, "s3cret",
        TemporalAccess.ISSUER, "https://ignored.example", TemporalAccess.TOKEN_URL, "https://tokens.example/token");

    assertThat(byDefault.usesTls()).isTrue();
    assertThat(byDefault.toString()).isEqualTo(
        "TLS (system trust store), token of client orders-api from http://localhost:9000/oauth2/token")
        .doesNotContain("s3cret");
    assertThat(fromIssuer.toString()).endsWith("from https://issuer.example/realms/orders/oauth2/token");
    assertThat(explicit.toString()).endsWith("from https://tokens.example/token");
    WorkflowServiceStubsOptions options = byDefault.configure(WorkflowServiceStubsOptions.newBuilder()).build();
    assertThat(options.getGrpcMetadataProviders()).as("the token, asked for on the first call, not now").hasSize(1);
  }

  @Test
  void anApiKeyAndClientCredentialsTogetherAreRefused() {
    assertThatThrownBy(() -> access(TemporalAccess.API_KEY, "k", TemporalAccess.CLIENT_ID, "orders-api",
        TemporalAccess.CLIENT_SECRET, "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set either ORDERS_TEMPORAL_API_KEY or ORDERS_TEMPORAL_CLIENT_ID/ORDERS_TEMPORAL_CLIENT_SECRET, not both");
  }

  @Test
  void halfAPairIsRefused() {
    assertThatThrownBy(() -> access(TemporalAccess.TLS_CERT, certificates.clientCert().toString()))
        .hasMessageContaining("ORDERS_TEMPORAL_TLS_CERT and ORDERS_TEMPORAL_TLS_KEY go together");
    assertThatThrownBy(() -> access(TemporalAccess.TLS_KEY, certificates.clientKey().toString()))
        .hasMessageContaining("ORDERS_TEMPORAL_TLS_CERT and ORDERS_TEMPORAL_TLS_KEY go together");
    assertThatThrownBy(() -> access(TemporalAccess.CLIENT_ID, "orders-api"))
        .hasMessageContaining("ORDERS_TEMPORAL_CLIENT_ID and ORDERS_TEMPORAL_CLIENT_SECRET go together");
  }

  @Test
  void contradictoryTlsSettingsAreRefused() {
    assertThatThrownBy(() -> access(TemporalAccess.TLS, "false", TemporalAccess.TLS_CA, certificates.ca().toString()))
        .hasMessageContaining("ORDERS_TEMPORAL_TLS=false contradicts");
    assertThatThrownBy(() -> access(TemporalAccess.TLS_SERVER_NAME, "temporal.test"))
        .hasMessageContaining("ORDERS_TEMPORAL_TLS_SERVER_NAME is the name checked in the server's certificate: it needs TLS");
    assertThatThrownBy(() -> access(TemporalAccess.TLS, "yes"))
        .hasMessage("ORDERS_TEMPORAL_TLS=yes is not true or false");
  }

  @Test
  void missingOrUnusableFilesAreNamed() throws Exception {
    assertThatThrownBy(() -> access(TemporalAccess.TLS_CA, dir.resolve("absent.pem").toString()))
        .hasMessage("ORDERS_TEMPORAL_TLS_CA=" + dir.resolve("absent.pem") + ": no readable file there");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThatThrownBy(() -> options(TemporalAccess.TLS_CA, notPem.toString()))
        .hasMessageStartingWith("ORDERS_TEMPORAL_TLS_CA=" + notPem + " holds no PEM certificate");
    // a key that is not the certificate's (here: the CA's own certificate as the key)
    assertThatThrownBy(() -> options(TemporalAccess.TLS_CERT, certificates.clientCert().toString(),
        TemporalAccess.TLS_KEY, certificates.ca().toString()))
        .hasMessageContaining("unencrypted PKCS#8 key");
  }
}
