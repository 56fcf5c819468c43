package com.example.orders.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.temporal.access.AuthorizationHeaders;
import com.example.orders.temporal.access.TemporalAccess;
import com.example.orders.temporal.access.TestCertificates;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The api's and the workers' path: config/orders-temporal.properties, Temporal's auto-configuration
 * (which sends the API key) and TemporalConnection's customizer (TLS, the issuer's token) build the
 * service stubs from the same ORDERS_TEMPORAL_* variables the tools read.
 */
class TemporalConnectionAccessTests {

  private final ApplicationContextRunner processes = new ApplicationContextRunner()
      .withInitializer(context -> {
        try {
          context.getEnvironment().getPropertySources()
              .addLast(new ResourcePropertySource("classpath:config/orders-temporal.properties"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })
      .withConfiguration(AutoConfigurations.of(ServiceStubsAutoConfiguration.class))
      .withUserConfiguration(TemporalConnection.class);


  @Test
  void withNothingSetTheStubsArePlaintextWithoutCredentialAsBefore() {
    processes.run(context -> {
      WorkflowServiceStubsOptions options = context.getBean(WorkflowServiceStubs.class).getOptions();

      assertThat(options.getTarget()).isEqualTo("127.0.0.1:7233");
      assertThat(options.getEnableHttps()).isFalse();
      assertThat(options.getSslContext()).isNull();
      assertThat(AuthorizationHeaders.sentWith(options)).isEmpty();
      assertThat(options.getGrpcCompression()).isEqualTo(GrpcCompression.NONE);
    });
  }

  @Test
  void theApiKeyIsSentOnceByTheAutoConfigurationOverTls() {
    processes.withPropertyValues("ORDERS_TEMPORAL_API_KEY=cloud-key").run(context -> {
      WorkflowServiceStubsOptions options = context.getBean(WorkflowServiceStubs.class).getOptions();

      assertThat(AuthorizationHeaders.sentWith(options)).containsExactly("Bearer cloud-key");
      assertThat(options.getEnableHttps()).isTrue();
    });
  }

  @Test
  void aCaFileAndClientCredentialsGiveTlsAndTheIssuersToken(@TempDir Path dir) throws Exception {
    Path ca = TestCertificates.createIn(dir).ca();
    processes.withPropertyValues("ORDERS_TEMPORAL_TLS_CA=" + ca, "ORDERS_TEMPORAL_CLIENT_ID=orders-api",
        "ORDERS_TEMPORAL_CLIENT_SECRET=orders-api-secret", "ORDERS_AUTH_ISSUER=http://127.0.0.1:9")
        .run(context -> {
          WorkflowServiceStubsOptions options = context.getBean(WorkflowServiceStubs.class).getOptions();

          assertThat(options.getSslContext()).isNotNull();
          assertThat(options.getGrpcMetadataProviders()).hasSize(1);
          assertThat(context.getBean(TemporalAccess.class)).hasToString(
              "TLS (CA " + ca + "), token of client orders-api from http://127.0.0.1:9/oauth2/token");
        });
  }

  @Test
  void contradictorySettingsStopTheProcessWithTheReason() {
    processes.withPropertyValues("ORDERS_TEMPORAL_API_KEY=k", "ORDERS_TEMPORAL_CLIENT_ID=orders-api",
        "ORDERS_TEMPORAL_CLIENT_SECRET=s").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .hasMessageContaining("set either ORDERS_TEMPORAL_API_KEY or ORDERS_TEMPORAL_CLIENT_ID");
        });
  }
}
