package com.example.orders.workers;

import com.example.orders.security.ActuatorOnlySecurityConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;

import com.example.orders.temporal.TemporalHealthIndicator;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The workers' actuator as Prometheus and a load balancer reach it: health for anyone (details for
 * operators), everything else for operators only, with the same bearer tokens the api accepts. The
 * workers' own application.yml applies; the token's signature check (security module) is mocked: a
 * token string stands for the claims the issuer signed.
 */
@SpringBootTest(classes = WorkersSecurityConfigurationTests.Actuator.class)
@AutoConfigureMockMvc
class WorkersSecurityConfigurationTests {

  /** The workers' security and its actuator endpoints, without Temporal's worker or the database. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
      PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
      HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
      WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
      SecurityFilterAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
      ManagementWebSecurityAutoConfiguration.class, EndpointAutoConfiguration.class,
      JacksonEndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
      ManagementContextAutoConfiguration.class, ServletManagementContextAutoConfiguration.class,
      HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
      HealthEndpointAutoConfiguration.class, InfoEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
      CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
      JvmMetricsAutoConfiguration.class})
  @Import({ActuatorOnlySecurityConfiguration.class, TemporalHealthIndicator.class, ActivityMetrics.class})
  static class Actuator {}

  @Autowired
  private MockMvcTester mvc;

  @MockitoBean
  private JwtDecoder tokens;

  @MockitoBean
  private WorkflowServiceStubs stubs;

  @MockitoBean
  private WorkflowClient client;

  @BeforeEach
  void tokensAndTemporal() {
    Map<String, Jwt> issued = Map.of(
        "operator-token", token("operator", "operator"),
        "customer-token", token("user_1", "customer"),
        "carrier-token", token("carrier", "carrier"),
        "roleless-token", token("someone", null));
    given(tokens.decode(anyString())).willAnswer(call -> {
      Jwt jwt = issued.get(call.<String>getArgument(0));
      if (jwt == null) {
        throw new BadJwtException("bad signature");
      }
      return jwt;
    });

    given(stubs.getOptions()).willReturn(WorkflowServiceStubsOptions.newBuilder().setTarget("temporal.internal:7233").build());
    given(stubs.healthCheck()).willReturn(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
    given(client.getOptions()).willReturn(WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  /** The claims of a token of the issuer of ./run: subject, and the role in "roles". */
  private static Jwt token(String subject, String role) {
    Jwt.Builder jwt = Jwt.withTokenValue(subject + "-token").header("alg", "RS256").subject(subject)
        .issuer("http://localhost:9000").audience(List.of("orders-api"))
        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(3600));
    return (role == null ? jwt : jwt.claim("roles", List.of(role))).build();
  }

  private MvcTestResult get(String path, String token) {
    var request = mvc.get().uri(path);
    return (token == null ? request : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).exchange();
  }

  // ---------------------------------------------------------------------------------------------
  // /actuator/prometheus: operators only

  @Test
  void metricsWithoutATokenAre401WithABearerChallenge() {
    MvcTestResult result = get("/actuator/prometheus", null);

    assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    assertThat(result).bodyText().doesNotContain("jvm_");
  }

  @Test
  void metricsWithATokenThatDoesNotVerifyAre401() {
    MvcTestResult result = get("/actuator/prometheus", "forged-token");

    assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE))
        .startsWith("Bearer").contains("invalid_token");
  }

  @Test
  void metricsAreRefusedToEveryoneButOperators() {
    for (String token : List.of("customer-token", "carrier-token", "roleless-token")) {
      MvcTestResult result = get("/actuator/prometheus", token);
      assertThat(result).as(token).hasStatus(HttpStatus.FORBIDDEN);
      assertThat(result).as(token).bodyText().doesNotContain("jvm_");
    }
  }

  @Test
  void anOperatorScrapesTheMetricsInPrometheusText() {
    MvcTestResult result = get("/actuator/prometheus", "operator-token");

    assertThat(result).hasStatusOk();
    assertThat(result.getResponse().getContentType()).startsWith("text/plain");
    assertThat(result).bodyText().contains("# TYPE jvm_memory_used_bytes gauge");
  }

  @Test
  void everyOtherEndpointIsForOperatorsToo() {
    assertThat(get("/actuator/info", null)).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(get("/actuator/info", "customer-token")).hasStatus(HttpStatus.FORBIDDEN);
    assertThat(get("/actuator/info", "operator-token")).hasStatusOk();
    // no api here: any other path is refused before it could be found
    assertThat(get("/orders", null)).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(get("/orders", "customer-token")).hasStatus(HttpStatus.FORBIDDEN);
  }

  // ---------------------------------------------------------------------------------------------
  // /actuator/health: public, details for operators

  @Test
  void healthIsPublicAndShowsEachComponentsStatusButNoDetails() {
    for (String token : Arrays.asList(null, "customer-token", "carrier-token")) {
      MvcTestResult result = get("/actuator/health", token);
      assertThat(result).as("%s", token).hasStatusOk();
      assertThat(result).as("%s", token).bodyJson().extractingPath("$.status").isEqualTo("UP");
      assertThat(result).as("%s", token).bodyJson().extractingPath("$.components.temporal")
          .isEqualTo(Map.of("status", "UP"));
      assertThat(result).as("%s", token).bodyText().doesNotContain("temporal.internal");
    }
  }

  @Test
  void healthShowsOperatorsTheDetails() {
    MvcTestResult result = get("/actuator/health", "operator-token");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.components.temporal.details.target").isEqualTo("temporal.internal:7233");
    assertThat(result).bodyJson().extractingPath("$.components.temporal.details.namespace").isEqualTo("default");
  }

  @Test
  void aComponentsHealthIsPublicToo() {
    MvcTestResult result = get("/actuator/health/temporal", null);

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("UP");
    assertThat(result).bodyText().doesNotContain("temporal.internal");
  }

  @Test
  void temporalDownIsPublicAsDown() {
    given(stubs.healthCheck()).willReturn(HealthCheckResponse.newBuilder().setStatus(ServingStatus.NOT_SERVING).build());

    MvcTestResult result = get("/actuator/health", null);

    assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(result).bodyJson().extractingPath("$.components.temporal.status").isEqualTo("DOWN");
  }

  @Test
  void onlyReadingHealthIsPublic() {
    assertThat(mvc.post().uri("/actuator/health").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(mvc.delete().uri("/actuator/health").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
  }

  // ---------------------------------------------------------------------------------------------
  // stateless bearer tokens

  @Test
  void noSessionIsKeptSoEveryRequestCarriesItsToken() {
    MvcTestResult operator = get("/actuator/prometheus", "operator-token");
    assertThat(operator).hasStatusOk();
    assertThat(operator.getRequest().getSession(false)).isNull();
    assertThat(operator.getResponse().getHeader(HttpHeaders.SET_COOKIE)).isNull();

    assertThat(get("/actuator/prometheus", null)).hasStatus(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void anOperatorsPostNeedsNoCsrfToken() {
    // a bearer token is not sent by the browser on its own, so no CSRF token is asked for: the POST is
    // not refused as forbidden, it reaches the endpoint, which has no such operation
    MvcTestResult result = mvc.post().uri("/actuator/health")
        .header(HttpHeaders.AUTHORIZATION, "Bearer operator-token").exchange();

    assertThat(result).hasStatus(HttpStatus.METHOD_NOT_ALLOWED);
  }
}
