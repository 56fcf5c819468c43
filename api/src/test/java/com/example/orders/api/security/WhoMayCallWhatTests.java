package com.example.orders.api.security;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static com.example.orders.api.security.TestIssuer.bearer;
import static com.example.orders.api.security.TestIssuer.claims;
import static com.example.orders.api.security.TestIssuer.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.api.order.OrderOutcomes;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.demo.DemoData;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.inventory.Product;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.domain.order.OrderService;
import com.example.orders.domain.order.StepLedger;
import com.example.orders.domain.payment.Customer;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShipmentRepository;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.ShippingAddress;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * docs/API.md, Who may call what, in one table: every endpoint as each principal (the owner of an
 * order, another customer, an operator, the carrier) and with every kind of token that must not get
 * in, as SecurityIT checks it against the running stack. Every controller is in this slice, with the
 * api's own services as they are (they decide whose order or record it is) and the domain mocked.
 */
@WebMvcTest(includeFilters = {
    @ComponentScan.Filter(Service.class),
    @ComponentScan.Filter(type = FilterType.REGEX, pattern = "com\\.example\\.orders\\.api\\.order\\.OrderLinks")})
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@TestPropertySource(properties = "orders.demo-data.enabled=true")
class WhoMayCallWhatTests {

  private static final String ORDER = "0f6b1a80-a2c0-4649-8262-eaf54eca7974";
  private static final String TRACKING = "TRK-1";
  private static final String PLAIN_PAYLOADS = """
      {"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},"data":"IngiCg=="}]}""";

  /** Each endpoint (docs/API.md), on user_1's order, shipment and records; a fresh request each time. */
  private static final Map<String, Supplier<MockHttpServletRequestBuilder>> ENDPOINTS = new LinkedHashMap<>();

  static {
    ENDPOINTS.put("POST /orders (for user_1)", () -> json(post("/orders"), """
        {"customerId":"user_1","items":[{"sku":"product_1","quantity":1}],
         "shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"}}"""));
    ENDPOINTS.put("GET /orders/{user_1's}", () -> get("/orders/" + ORDER));
    ENDPOINTS.put("GET /orders", () -> get("/orders"));
    ENDPOINTS.put("GET /orders?customerId=user_1", () -> get("/orders?customerId=user_1"));
    ENDPOINTS.put("POST /orders/{user_1's}/cancel", () -> post("/orders/" + ORDER + "/cancel"));
    ENDPOINTS.put("POST /orders/{user_1's}/review",
        () -> json(post("/orders/" + ORDER + "/review"), "{\"decision\":\"APPROVE\"}"));
    ENDPOINTS.put("GET /inventory", () -> get("/inventory"));
    ENDPOINTS.put("GET /inventory/product_1", () -> get("/inventory/product_1"));
    ENDPOINTS.put("PUT /inventory/product_1", () -> json(put("/inventory/product_1"), "{\"available\":7}"));
    ENDPOINTS.put("GET /customers", () -> get("/customers"));
    ENDPOINTS.put("GET /customers/user_1", () -> get("/customers/user_1"));
    ENDPOINTS.put("PUT /customers/user_1", () -> json(put("/customers/user_1"), "{\"balance\":1.00}"));
    ENDPOINTS.put("POST /admin/reset", () -> post("/admin/reset"));
    ENDPOINTS.put("POST /codec/decode", () -> json(post("/codec/decode"), PLAIN_PAYLOADS));
    ENDPOINTS.put("POST /codec/encode", () -> json(post("/codec/encode"), PLAIN_PAYLOADS));
    ENDPOINTS.put("POST /codec/session", () -> post("/codec/session"));
    // an event the shipment has recorded already: whoever may report it gets the same answer
    ENDPOINTS.put("POST /shipments/{user_1's}/events", () -> json(post("/shipments/" + TRACKING + "/events"),
        "{\"eventId\":\"evt-1\",\"type\":\"DISPATCHED\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}"));
  }

  @Autowired
  private MockMvc mvc;

  @Autowired
  private WorkflowClient temporal;

  @MockitoBean
  private OrderRepository orders;

  @MockitoBean
  private OrderService orderService;

  @MockitoBean
  private StepLedger ledger;

  @MockitoBean
  private OrderOutcomes outcomes;

  @MockitoBean
  private InventoryService inventory;

  @MockitoBean
  private PaymentService payments;

  @MockitoBean
  private ShippingService shipping;

  @MockitoBean
  private AuditLog audit;

  @MockitoBean
  private DemoData demoData;

  @MockitoBean
  private PayloadEncryptionCodec codec;

  /** What SecurityIT finds under ./run: user_1's completed order, shipped as TRK-1, and the demo catalog and customers. */
  @BeforeEach
  void user1sCompletedOrderAndTheDemoData() {
    OffsetDateTime created = OffsetDateTime.parse("2026-12-01T10:00:00Z");
    given(orders.find(ORDER)).willReturn(Optional.of(new OrderRecord(ORDER, "user_1", OrderStatus.COMPLETED,
        new BigDecimal("50.00"), "USD", new ShippingAddress("Ada Lovelace", "1 Main St", "Springfield", "12345", "US"),
        "hash", null, null, 50L, "user_1", created, created)));
    given(orders.lines(ORDER)).willReturn(List.of(new OrderLine("product_1", 1, new BigDecimal("50.00"))));
    ShipmentRepository.Shipment shipment = new ShipmentRepository.Shipment(ORDER, TRACKING, "Demo Parcel", "DISPATCHED", null);
    given(shipping.findShipment(ORDER)).willReturn(Optional.of(shipment));
    given(shipping.findByTrackingNumber(TRACKING)).willReturn(Optional.of(shipment));
    given(shipping.events(TRACKING)).willReturn(List.of(new ShipmentRepository.Event("evt-1", "DISPATCHED", created, created)));
    Product product = new Product("product_1", "Product 1", new BigDecimal("50.00"), 100, 0, 0);
    given(inventory.findProduct("product_1")).willReturn(Optional.of(product));
    given(inventory.findProducts(anyList())).willReturn(List.of(product));
    given(inventory.upsertProduct(any(), any(), any(), any(), any())).willReturn(product);
    Customer user1 = new Customer("user_1", "User 1", new BigDecimal("1000.00"), 0);
    given(payments.findCustomer("user_1")).willReturn(Optional.of(user1));
    given(payments.upsertCustomer(any(), any(), any(), any())).willReturn(user1);
    given(codec.decode(anyList())).willAnswer(call -> call.getArgument(0));
    given(codec.encode(anyList())).willAnswer(call -> call.getArgument(0));
    given(temporal.newWorkflowStub(eq(OrderWorkflow.class), any(WorkflowOptions.class))).willReturn(mock(OrderWorkflow.class));
  }

  @Test
  void theOwnerOfAnOrder() throws Exception {
    expect(asCustomer("user_1"), Map.ofEntries(
        Map.entry("POST /orders (for user_1)", 202), Map.entry("GET /orders/{user_1's}", 200),
        Map.entry("GET /orders", 200), Map.entry("GET /orders?customerId=user_1", 200),
        Map.entry("POST /orders/{user_1's}/cancel", 409), Map.entry("POST /orders/{user_1's}/review", 403),
        Map.entry("GET /inventory", 200), Map.entry("GET /inventory/product_1", 200), Map.entry("PUT /inventory/product_1", 403),
        Map.entry("GET /customers", 403), Map.entry("GET /customers/user_1", 200), Map.entry("PUT /customers/user_1", 403),
        Map.entry("POST /admin/reset", 403), Map.entry("POST /codec/decode", 403), Map.entry("POST /codec/encode", 403),
        Map.entry("POST /codec/session", 403), Map.entry("POST /shipments/{user_1's}/events", 403)));
  }

  @Test
  void anotherCustomer() throws Exception {
    expect(asCustomer("user_2"), Map.ofEntries(
        Map.entry("POST /orders (for user_1)", 403), Map.entry("GET /orders/{user_1's}", 404),
        Map.entry("GET /orders", 200), Map.entry("GET /orders?customerId=user_1", 200),
        Map.entry("POST /orders/{user_1's}/cancel", 404), Map.entry("POST /orders/{user_1's}/review", 403),
        Map.entry("GET /inventory", 200), Map.entry("GET /inventory/product_1", 200), Map.entry("PUT /inventory/product_1", 403),
        Map.entry("GET /customers", 403), Map.entry("GET /customers/user_1", 403), Map.entry("PUT /customers/user_1", 403),
        Map.entry("POST /admin/reset", 403), Map.entry("POST /codec/decode", 403), Map.entry("POST /codec/encode", 403),
        Map.entry("POST /codec/session", 403), Map.entry("POST /shipments/{user_1's}/events", 403)));
    // user_2 listing with customerId=user_1 gets its own orders
    then(orders).should(never()).page(eq("user_1"), any(), any(), any(), anyInt());
    thenNothingWasWritten();
  }

  @Test
  void anOperator() throws Exception {
    expect(asOperator(), Map.ofEntries(
        Map.entry("POST /orders (for user_1)", 202), Map.entry("GET /orders/{user_1's}", 200),
        Map.entry("GET /orders", 200), Map.entry("GET /orders?customerId=user_1", 200),
        // completed: nothing left to cancel or review, for anyone
        Map.entry("POST /orders/{user_1's}/cancel", 409), Map.entry("POST /orders/{user_1's}/review", 409),
        Map.entry("GET /inventory", 200), Map.entry("GET /inventory/product_1", 200), Map.entry("PUT /inventory/product_1", 200),
        Map.entry("GET /customers", 200), Map.entry("GET /customers/user_1", 200), Map.entry("PUT /customers/user_1", 200),
        Map.entry("POST /admin/reset", 200), Map.entry("POST /codec/decode", 200), Map.entry("POST /codec/encode", 200),
        Map.entry("POST /codec/session", 204), Map.entry("POST /shipments/{user_1's}/events", 200)));
  }

  @Test
  void theCarrier() throws Exception {
    Map<String, Integer> statuses = new LinkedHashMap<>();
    ENDPOINTS.keySet().forEach(name -> statuses.put(name, 403));
    statuses.put("POST /shipments/{user_1's}/events", 200);
    expect(asCarrier(), statuses);
    thenNothingWasWritten();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokensThatMustNotGetIn")
  void noBadTokenGetsAnythingOnAnyEndpoint(String kind, String authorization) throws Exception {
    for (var endpoint : ENDPOINTS.entrySet()) {
      MockHttpServletRequestBuilder request = endpoint.getValue().get();
      if (authorization != null) {
        request.header(HttpHeaders.AUTHORIZATION, authorization);
      }
      mvc.perform(request).andExpect(result -> assertThat(result.getResponse().getStatus())
              .as("%s with %s: %s", endpoint.getKey(), kind, result.getResponse().getContentAsString()).isEqualTo(401))
          .andExpect(unauthorized());
    }
    thenNothingWasWritten();
    then(orders).shouldHaveNoInteractions();
    then(codec).shouldHaveNoInteractions();
  }

  static Stream<Arguments> tokensThatMustNotGetIn() throws Exception {
    JWTClaimsSet operator = claims("operator", "operator").build();
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of("no token", null),
        Arguments.of("a malformed token", "Bearer not-a-jwt"),
        Arguments.of("three garbage parts", "Bearer abc.def.ghi"),
        Arguments.of("Basic instead of Bearer", "Basic b3BlcmF0b3I6b3BlcmF0b3Itc2VjcmV0"),
        Arguments.of("signed by another key", "Bearer " + sign(operator, TestIssuer.strangerKey())),
        Arguments.of("expired", "Bearer " + sign(claims("operator", "operator")
            .issueTime(Date.from(now.minusSeconds(900))).notBeforeTime(Date.from(now.minusSeconds(900)))
            .expirationTime(Date.from(now.minusSeconds(120))).build())),
        Arguments.of("another issuer", "Bearer " + sign(claims("operator", "operator").issuer("http://evil.example").build())),
        Arguments.of("another audience", "Bearer " + sign(claims("operator", "operator").audience("some-other-api").build())),
        Arguments.of("alg none",
            "Bearer " + new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), operator).serialize()),
        Arguments.of("HS256 keyed with the issuer's public key", "Bearer " + hmacWithPublicKey(operator)),
        Arguments.of("a customer's token, tampered to operator", "Bearer " + tamper(
            sign(claims("user_1", "customer").build()), "\"roles\":[\"customer\"]", "\"roles\":[\"operator\"]")),
        Arguments.of("no expiry", "Bearer " + sign(without(operator, "exp"))),
        Arguments.of("not valid yet", "Bearer " + sign(claims("operator", "operator")
            .notBeforeTime(Date.from(now.plusSeconds(600))).build())),
        Arguments.of("no issuer", "Bearer " + sign(without(operator, "iss"))),
        Arguments.of("no audience", "Bearer " + sign(without(operator, "aud"))),
        Arguments.of("no subject", "Bearer " + sign(without(operator, "sub"))),
        Arguments.of("a customer without a customer id",
            "Bearer " + sign(without(claims("user_1", "customer").build(), "sub"))));
  }

  @Test
  void oddlyShapedButGenuineTokensAreReadSafely() throws Exception {
    // roles as one string, repeated: read as the set it names
    mvc.perform(get("/orders").with(bearer(sign(claims("user_1").claim("roles", "customer customer").build()))))
        .andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(200));
    // no roles at all, or a role in another case: authenticated, without a right
    mvc.perform(get("/orders").with(bearer(sign(without(claims("user_1", "customer").build(), "roles")))))
        .andExpect(forbidden());
    mvc.perform(get("/orders").with(bearer(sign(claims("user_1", "Operator").build()))))
        .andExpect(forbidden());
  }

  @Test
  void pathsAUrlRuleMightMissGiveACustomerNothingMore() throws Exception {
    for (String path : List.of("/orders/" + ORDER + "/", "/ORDERS/" + ORDER, "/orders//" + ORDER, "/orders/" + ORDER + ";x=y",
        "/customers/", "/customers/user_1/", "/admin/reset/", "/nothing-here")) {
      MvcResult result = mvc.perform(get(path).with(asCustomer("user_2"))).andReturn();
      assertThat(result.getResponse().getStatus()).as("GET %s as user_2", path).isNotEqualTo(200).isLessThan(500);
      assertThat(result.getResponse().getContentAsString()).as("GET %s as user_2", path).doesNotContain("Ada Lovelace");
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Each endpoint's status as this caller; a refusal is a bare problem that shows none of user_1's data. */
  private void expect(RequestPostProcessor caller, Map<String, Integer> statuses) throws Exception {
    assertThat(statuses.keySet()).as("every endpoint is in the table").containsExactlyInAnyOrderElementsOf(ENDPOINTS.keySet());
    List<String> wrong = new ArrayList<>();
    for (var expected : statuses.entrySet()) {
      MvcResult result = mvc.perform(ENDPOINTS.get(expected.getKey()).get().with(caller)).andReturn();
      int status = result.getResponse().getStatus();
      String body = result.getResponse().getContentAsString();
      if (status != expected.getValue()) {
        wrong.add(expected.getKey() + ": " + status + " instead of " + expected.getValue() + " " + body);
      } else if (status >= 400 && (!String.valueOf(result.getResponse().getContentType()).startsWith("application/problem+json")
          || body.contains("\"customerId\"") || body.contains("Ada Lovelace") || body.contains("\"balance\"")
          || body.contains("\"items\""))) {
        wrong.add(expected.getKey() + ": the refusal is not a bare problem: " + body);
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** No order, stock, customer, demo data or audit entry was written, and no workflow touched. */
  private void thenNothingWasWritten() {
    then(orderService).shouldHaveNoInteractions();
    then(inventory).should(never()).upsertProduct(anyString(), any(), any(), any(), anyString());
    then(payments).should(never()).upsertCustomer(anyString(), any(), any(), anyString());
    then(demoData).should(never()).reset(anyString());
    then(audit).should(never()).record(any(), any(), any(), any());
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), any(WorkflowOptions.class));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
    return request.contentType(MediaType.APPLICATION_JSON).content(body);
  }

  private static JWTClaimsSet without(JWTClaimsSet claims, String name) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    claims.getClaims().forEach((claim, value) -> {
      if (!claim.equals(name)) {
        builder.claim(claim, value);
      }
    });
    return builder.build();
  }

  /** The classic algorithm-confusion forgery: HMAC keyed with the issuer's public key. */
  private static String hmacWithPublicKey(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestIssuer.key().getKeyID()).build(), claims);
    jwt.sign(new MACSigner(TestIssuer.key().toPublicJWK().toRSAPublicKey().getEncoded()));
    return jwt.serialize();
  }

  /** Rewrites the payload of a genuine token and keeps its signature. */
  private static String tamper(String token, String from, String to) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains(from);
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.replace(from, to).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }
}
