package com.example.orders.api;

import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.temporal.TemporalHealthIndicator;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * GET /actuator/health (docs/API.md, operations): public, with the Temporal connection as a component
 * (its details, target and namespace, for operators only), as application.yml configures the endpoint.
 * The database's component needs a DataSource, which no slice has: the end-to-end suites check it.
 */
@WebMvcTest(excludeFilters = @ComponentScan.Filter(Controller.class))
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@ImportAutoConfiguration({EndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class,
    WebEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
    HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class, ManagementContextAutoConfiguration.class,
    ServletManagementContextAutoConfiguration.class})
@Import(TemporalHealthIndicator.class)
class HealthEndpointTests {

  @Autowired
  private MockMvc mvc;

  @Autowired
  private WorkflowClient temporal;

  @MockitoBean
  private WorkflowServiceStubs stubs;

  @BeforeEach
  void temporalAt7233() {
    given(temporal.getOptions()).willReturn(WorkflowClientOptions.newBuilder().setNamespace("default").build());
    given(stubs.getOptions()).willReturn(WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233").build());
  }

  @Test
  void healthIsPublicAndShowsTemporalAsAComponent() throws Exception {
    given(stubs.healthCheck()).willReturn(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.components.temporal.status").value("UP"))
        .andExpect(jsonPath("$.components.temporal.details").doesNotExist());
    mvc.perform(get("/actuator/health").with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.temporal.details").doesNotExist());
  }

  @Test
  void operatorsSeeWhereTemporalIs() throws Exception {
    given(stubs.healthCheck()).willReturn(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
    mvc.perform(get("/actuator/health").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.temporal.details.target").value("127.0.0.1:7233"))
        .andExpect(jsonPath("$.components.temporal.details.namespace").value("default"));
  }

  @Test
  void temporalNotServingIs503AndDown() throws Exception {
    given(stubs.healthCheck()).willReturn(HealthCheckResponse.newBuilder().setStatus(ServingStatus.NOT_SERVING).build());
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.status").value("DOWN"))
        .andExpect(jsonPath("$.components.temporal.status").value("DOWN"));
  }
}
