package com.example.orders.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.api.order.OrderCancellation;
import com.example.orders.api.order.OrderOutcomes;
import com.example.orders.api.order.OrderReviewing;
import com.example.orders.api.order.OrderSubmission;
import com.example.orders.api.order.OrderViews;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.demo.DemoData;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.configuration.SpringDocSecurityConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.properties.SwaggerUiOAuthProperties;
import org.springdoc.webmvc.core.configuration.MultipleOpenApiSupportConfiguration;
import org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration;
import org.springdoc.webmvc.ui.SwaggerConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * GET /v3/api-docs and /swagger-ui.html (docs/API.md): public, and the document describes every
 * endpoint of docs/API.md with its problems, and how Swagger UI gets a token. Every controller is in
 * this slice (what they call is mocked: nothing is called), with springdoc as the api runs it.
 */
@WebMvcTest(includeFilters = {
    @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE,
        classes = {OpenApiConfiguration.class, ErrorResponsesCustomizer.class, NullablePropertiesCustomizer.class}),
    @ComponentScan.Filter(type = FilterType.REGEX, pattern = "com\\.example\\.orders\\.api\\.shipment\\.ShipmentEvents")})
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@ImportAutoConfiguration({SpringDocConfiguration.class, SpringDocConfigProperties.class, SpringDocSecurityConfiguration.class,
    SpringDocWebMvcConfiguration.class, MultipleOpenApiSupportConfiguration.class, SwaggerConfig.class,
    SwaggerUiConfigProperties.class, SwaggerUiOAuthProperties.class})
@TestPropertySource(properties = "orders.demo-data.enabled=true")
@MockitoBean(types = {OrderSubmission.class, OrderCancellation.class, OrderReviewing.class, OrderViews.class,
    OrderOutcomes.class, InventoryService.class, PaymentService.class, ShippingService.class, AuditLog.class,
    DemoData.class, PayloadEncryptionCodec.class})
class OpenApiDocumentTests {

  @Autowired
  private MockMvc mvc;

  @Test
  void theDocumentIsPublicAndDescribesEveryEndpoint() throws Exception {
    String document = mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.info.title").value("Order fulfillment API"))
        .andReturn().getResponse().getContentAsString();
    Map<String, Map<String, Object>> paths = JsonPath.read(document, "$.paths");
    assertThat(paths).containsKeys("/orders", "/orders/{orderId}", "/orders/{orderId}/cancel", "/orders/{orderId}/review",
        "/shipments/{trackingNumber}/events", "/inventory", "/inventory/{sku}", "/customers", "/customers/{customerId}",
        "/admin/reset", "/codec/decode", "/codec/encode");
    assertThat(paths.get("/orders")).containsKeys("get", "post");
    assertThat(paths.get("/inventory/{sku}")).containsKeys("get", "put");
    assertThat(paths.get("/customers/{customerId}")).containsKeys("get", "put");
  }

  @Test
  void swaggerUiGetsATokenFromTheIssuerWithClientCredentials() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(jsonPath("$.components.securitySchemes.oauth2.type").value("oauth2"))
        .andExpect(jsonPath("$.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl")
            .value("http://localhost:9000/oauth2/token"))
        .andExpect(jsonPath("$.security[0].oauth2").isArray());
  }

  @Test
  void everyOperationDocumentsItsProblemsAndPlacingAnOrderItsHeaders() throws Exception {
    String document = mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString();
    Map<String, Object> submit = JsonPath.read(document, "$.paths['/orders'].post.responses");
    assertThat(submit).containsKeys("202", "200", "400", "401", "403", "413", "415", "422");
    assertThat(JsonPath.<Map<String, Object>>read(document, "$.paths['/orders'].post.responses['202'].headers"))
        .containsKeys("Location", "Preference-Applied");
    assertThat(JsonPath.<String>read(document,
        "$.paths['/orders'].post.responses['422'].content['application/problem+json'].schema.$ref"))
        .isEqualTo("#/components/schemas/Problem");
    assertThat(JsonPath.<Map<String, Object>>read(document, "$.paths['/orders/{orderId}'].get.responses"))
        .containsKeys("200", "404", "401", "403");
    assertThat(JsonPath.<Map<String, Object>>read(document, "$.paths['/orders/{orderId}/cancel'].post.responses"))
        .containsKeys("202", "200", "404", "409");
    assertThat(JsonPath.<Map<String, Object>>read(document, "$.components.schemas.Problem.properties"))
        .containsKeys("type", "title", "status", "detail", "errors");
    List<Object> withoutUnauthorized = JsonPath.read(document, "$.paths.*[?(@.responses && !@.responses['401'])]");
    assertThat(withoutUnauthorized).as("operations that do not document 401").isEmpty();
  }

  @Test
  void swaggerUiIsPublic() throws Exception {
    mvc.perform(get("/swagger-ui.html"))
        .andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("/swagger-ui/index.html"));
    mvc.perform(get("/swagger-ui/index.html"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML));
  }
}
