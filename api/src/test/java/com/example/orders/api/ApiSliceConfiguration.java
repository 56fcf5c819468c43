package com.example.orders.api;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import com.example.orders.api.problem.StrictBodiesForTests;
import com.example.orders.api.security.ApiSecurityForTests;
import com.example.orders.api.security.TestIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.bean.override.mockito.MockReset;

/**
 * What every {@code @WebMvcTest} slice of the api starts from, in place of ApiApplication (whose
 * {@code @Import} of the domain would bring the PostgreSQL repositories into every slice):
 *
 * <ul>
 *   <li>the api's packages, scanned through the slice's filter (the controller under test, the
 *       problem handler, the body-size filter);
 *   <li>the real security configuration and strict JSON reading;
 *   <li>{@link TestIssuer} as the trusted issuer;
 *   <li>a Mockito mock as the Temporal client, in namespace {@code default};
 *   <li>an in-memory meter registry.
 * </ul>
 *
 * A slice names it with {@code @ContextConfiguration(classes = ApiSliceConfiguration.class)}.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
@Import({ApiSecurityForTests.class, StrictBodiesForTests.class})
public class ApiSliceConfiguration {

  @Bean
  DynamicPropertyRegistrar testIssuer() {
    return properties -> {
      properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestIssuer.ISSUER);
      properties.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestIssuer::jwksUri);
      properties.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestIssuer.AUDIENCE);
    };
  }

  /**
   * A mock, reset after each test like a {@code @MockitoBean}. Its namespace is stubbed here because
   * OrderLinks and CodecController read it in their constructors, before a test could stub it.
   */
  @Bean
  WorkflowClient workflowClient() {
    WorkflowClient client = mock(WorkflowClient.class, MockReset.withSettings(MockReset.AFTER));
    given(client.getOptions()).willReturn(WorkflowClientOptions.newBuilder().setNamespace("default").build());
    return client;
  }

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
