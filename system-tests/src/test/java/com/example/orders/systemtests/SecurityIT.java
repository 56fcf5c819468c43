package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint against every principal and every kind of bad token (docs/API.md, Who may call
 * what): the exact status, a problem body that reveals nothing, and nothing written. Each case is
 * counted; a "leak" is a case that got another status than the contract's, or changed or showed
 * data it must not.
 */
class SecurityIT extends EndToEndTest {

  /** One endpoint: how to call it with a given client, and what the data it must not touch looks like. */
  private record Endpoint(String name, Function<Api, Api.Response> call) {}

  private static int cases;
  private static int leaked;
  /** What leaked in the current test (the class counts all of them for its report). */
  private final List<String> leaks = new ArrayList<>();

  private String user1Order;
  private Map<String, Endpoint> endpoints;

  @BeforeEach
  void anOrderOfUser1AndTheEndpoints() {
    Api.Response placed = env.client("user_1").post("/orders", orderJson("user_1", "product_1", 1, ADDRESS_US),
        "Prefer", "wait=30");
    assertThat(placed.status()).as(placed.raw()).isEqualTo(200);
    user1Order = placed.body().get("orderId").asString();
    String shipmentEvents = "/shipments/" + placed.body().get("shipment").get("trackingNumber").asString() + "/events";
    endpoints = new LinkedHashMap<>();
    add("POST /orders (for user_1)", a -> a.post("/orders", orderJson("user_1", "product_2", 1, ADDRESS_US)));
    add("GET /orders/{user_1's}", a -> a.get("/orders/" + user1Order));
    add("GET /orders", a -> a.get("/orders"));
    add("GET /orders?customerId=user_1", a -> a.get("/orders?customerId=user_1"));
    add("POST /orders/{user_1's}/cancel", a -> a.post("/orders/" + user1Order + "/cancel", ""));
    add("GET /inventory", a -> a.get("/inventory"));
    add("GET /inventory/product_1", a -> a.get("/inventory/product_1"));
    add("PUT /inventory/product_1", a -> a.put("/inventory/product_1", "{\"available\":7}"));
    add("GET /customers", a -> a.get("/customers"));
    add("GET /customers/user_1", a -> a.get("/customers/user_1"));
    add("PUT /customers/user_1", a -> a.put("/customers/user_1", "{\"balance\":1.00}"));
    add("POST /admin/reset", a -> a.post("/admin/reset", ""));
    add("POST /codec/decode", a -> a.post("/codec/decode", PLAIN_PAYLOADS));
    add("POST /codec/encode", a -> a.post("/codec/encode", PLAIN_PAYLOADS));
    add("POST /codec/session", a -> a.post("/codec/session", ""));
    // the same event each time: whoever may report it gets the same answer, and nothing more happens
    add("POST /shipments/{user_1's}/events", a -> a.post(shipmentEvents,
        "{\"eventId\":\"security-1\",\"type\":\"DISPATCHED\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}"));
  }

  /** One payload as Temporal's JSON has it: "json/plain", the string "x". */
  private static final String PLAIN_PAYLOADS = """
      {"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "IngiCg=="}]}""";

  private void add(String name, Function<Api, Api.Response> call) {
    endpoints.put(name, new Endpoint(name, call));
  }

  @AfterAll
  static void report() {
    Reliability.report("security: " + cases + " (endpoint, principal, token) cases", 0, Map.of("leaked", leaked), 0, 0);
    System.out.println("SECURITY " + cases + " cases, " + leaked + " leaked");
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens that must never get in

  @Test
  void noBadTokenGetsAnythingOnAnyEndpoint() throws Exception {
    RSAKey issuerKey = RSAKey.parse(Files.readString(env.signingKey));
    RSAKey strangerKey = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate(); // same kid, other key
    Instant now = Instant.now();
    JWTClaimsSet operator = claims("operator", "operator", env.issuerUrl, "orders-api", now.plusSeconds(600));

    Map<String, Api> badTokens = new LinkedHashMap<>();
    badTokens.put("no token", env.anonymous());
    badTokens.put("malformed token", env.anonymous().withToken("not-a-jwt"));
    badTokens.put("three garbage parts", env.anonymous().withToken("abc.def.ghi"));
    badTokens.put("Basic instead of Bearer", env.anonymous().withAuthorization("Basic b3BlcmF0b3I6b3BlcmF0b3Itc2VjcmV0"));
    badTokens.put("signed by another key", env.anonymous().withToken(sign(operator, strangerKey)));
    badTokens.put("expired", env.anonymous().withToken(sign(
        claims("operator", "operator", env.issuerUrl, "orders-api", now.minusSeconds(120)), issuerKey)));
    badTokens.put("another issuer", env.anonymous().withToken(sign(
        claims("operator", "operator", "http://evil.example", "orders-api", now.plusSeconds(600)), issuerKey)));
    badTokens.put("another audience", env.anonymous().withToken(sign(
        claims("operator", "operator", env.issuerUrl, "some-other-api", now.plusSeconds(600)), issuerKey)));
    badTokens.put("alg none", env.anonymous().withToken(
        new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), operator).serialize()));
    badTokens.put("HS256 keyed with the public key", env.anonymous().withToken(hmacWithPublicKey(operator, issuerKey)));
    badTokens.put("a valid token, tampered (role customer -> operator)", env.anonymous().withToken(
        tamper(env.token("user_1"), "\"roles\":[\"customer\"]", "\"roles\":[\"operator\"]")));
    badTokens.put("no expiry", env.anonymous().withToken(sign(without(operator, "exp"), issuerKey)));
    badTokens.put("not valid yet", env.anonymous().withToken(sign(new JWTClaimsSet.Builder(operator)
        .notBeforeTime(Date.from(now.plusSeconds(600))).build(), issuerKey)));
    badTokens.put("no issuer", env.anonymous().withToken(sign(without(operator, "iss"), issuerKey)));
    badTokens.put("no audience", env.anonymous().withToken(sign(without(operator, "aud"), issuerKey)));
    badTokens.put("no subject", env.anonymous().withToken(sign(without(operator, "sub"), issuerKey)));
    badTokens.put("a customer without a customer id", env.anonymous().withToken(sign(
        without(claims("user_1", "customer", env.issuerUrl, "orders-api", now.plusSeconds(600)), "sub"), issuerKey)));

    Snapshot before = Snapshot.take();
    for (var token : badTokens.entrySet()) {
      for (Endpoint endpoint : endpoints.values()) {
        Api.Response response = endpoint.call().apply(token.getValue());
        check(endpoint.name() + " with " + token.getKey(), response, 401);
        if (response.status() == 401 && (response.header("WWW-Authenticate") == null
            || !response.header("WWW-Authenticate").startsWith("Bearer"))) {
          leak(endpoint.name() + " with " + token.getKey() + ": 401 without WWW-Authenticate: Bearer");
        }
      }
    }
    assertThat(Snapshot.take()).as("nothing written by refused requests").isEqualTo(before);
    assertThat(leaks).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Valid tokens: each principal on its own and on someone else's resources

  @Test
  void eachPrincipalGetsExactlyWhatTheContractSays() {
    // expected status per endpoint for user_1 (owner), user_2 (another customer), carrier; operators below
    expect("user_2", Map.ofEntries(
        Map.entry("POST /orders (for user_1)", 403), Map.entry("GET /orders/{user_1's}", 404),
        Map.entry("GET /orders", 200), Map.entry("GET /orders?customerId=user_1", 200),
        Map.entry("POST /orders/{user_1's}/cancel", 404), Map.entry("GET /inventory", 200),
        Map.entry("GET /inventory/product_1", 200), Map.entry("PUT /inventory/product_1", 403),
        Map.entry("GET /customers", 403), Map.entry("GET /customers/user_1", 403),
        Map.entry("PUT /customers/user_1", 403), Map.entry("POST /admin/reset", 403),
        Map.entry("POST /codec/decode", 403), Map.entry("POST /codec/encode", 403), Map.entry("POST /codec/session", 403),
        Map.entry("POST /shipments/{user_1's}/events", 403)));
    expect("carrier", Map.ofEntries(
        Map.entry("POST /orders (for user_1)", 403), Map.entry("GET /orders/{user_1's}", 403),
        Map.entry("GET /orders", 403), Map.entry("GET /orders?customerId=user_1", 403),
        Map.entry("POST /orders/{user_1's}/cancel", 403), Map.entry("GET /inventory", 403),
        Map.entry("GET /inventory/product_1", 403), Map.entry("PUT /inventory/product_1", 403),
        Map.entry("GET /customers", 403), Map.entry("GET /customers/user_1", 403),
        Map.entry("PUT /customers/user_1", 403), Map.entry("POST /admin/reset", 403),
        Map.entry("POST /codec/decode", 403), Map.entry("POST /codec/encode", 403), Map.entry("POST /codec/session", 403)));
    // the carrier's one right, which writes (the event, once): checked apart from the read-only calls above
    check("POST /shipments/{user_1's}/events as carrier",
        endpoints.get("POST /shipments/{user_1's}/events").call().apply(env.client("carrier")), 200);
    expect("user_1", Map.ofEntries(
        Map.entry("GET /orders/{user_1's}", 200), Map.entry("GET /orders", 200),
        Map.entry("GET /orders?customerId=user_1", 200), Map.entry("GET /inventory", 200),
        Map.entry("GET /inventory/product_1", 200), Map.entry("PUT /inventory/product_1", 403),
        Map.entry("GET /customers", 403), Map.entry("GET /customers/user_1", 200),
        Map.entry("PUT /customers/user_1", 403), Map.entry("POST /admin/reset", 403),
        Map.entry("POST /codec/decode", 403), Map.entry("POST /codec/encode", 403), Map.entry("POST /codec/session", 403),
        Map.entry("POST /shipments/{user_1's}/events", 403)));
    assertThat(leaks).isEmpty();
  }

  @Test
  void operatorsMayDoEverything() {
    Map<String, Integer> statuses = new LinkedHashMap<>();
    statuses.put("GET /orders/{user_1's}", 200);
    statuses.put("GET /orders", 200);
    statuses.put("GET /orders?customerId=user_1", 200);
    statuses.put("GET /inventory", 200);
    statuses.put("GET /inventory/product_1", 200);
    statuses.put("GET /customers", 200);
    statuses.put("GET /customers/user_1", 200);
    statuses.put("POST /orders/{user_1's}/cancel", 409); // completed: nothing left to cancel, for anyone
    statuses.put("POST /orders (for user_1)", 202);
    statuses.put("POST /shipments/{user_1's}/events", 200); // before the reset below removes the shipment
    statuses.put("PUT /inventory/product_1", 200);
    statuses.put("PUT /customers/user_1", 200);
    statuses.put("POST /admin/reset", 200);
    statuses.put("POST /codec/decode", 200);
    statuses.put("POST /codec/encode", 200);
    statuses.put("POST /codec/session", 204);
    Api operator = env.client("operator");
    statuses.forEach((name, status) -> check(name + " as operator", endpoints.get(name).call().apply(operator), status));
    assertThat(leaks).isEmpty();
  }

  @Test
  void theCodecCookieOpensTheCodecToOperatorsAndNothingElse() {
    Api.Response session = env.client("operator").post("/codec/session", "");
    assertThat(session.header("Set-Cookie")).as("the cookie")
        .startsWith("orders_codec_token=").contains("Path=/codec").contains("HttpOnly").contains("SameSite=Strict");
    String operatorCookie = "orders_codec_token=" + env.token("operator");
    String customerCookie = "orders_codec_token=" + env.token("user_1");
    Snapshot before = Snapshot.take();
    check("POST /codec/decode with an operator's cookie",
        env.anonymous().post("/codec/decode", PLAIN_PAYLOADS, "Cookie", operatorCookie), 200);
    check("POST /codec/decode with a customer's cookie",
        env.anonymous().post("/codec/decode", PLAIN_PAYLOADS, "Cookie", customerCookie), 403);
    check("POST /orders with an operator's codec cookie",
        env.anonymous().post("/orders", orderJson("user_1", "product_2", 1, ADDRESS_US), "Cookie", operatorCookie), 401);
    check("POST /admin/reset with an operator's codec cookie",
        env.anonymous().post("/admin/reset", "", "Cookie", operatorCookie), 401);
    assertThat(Snapshot.take()).as("nothing written by refused requests").isEqualTo(before);
    assertThat(leaks).isEmpty();
  }

  @Test
  void oddlyShapedButGenuineTokensAreReadSafely() throws Exception {
    RSAKey issuerKey = RSAKey.parse(Files.readString(env.signingKey));
    Instant expiry = Instant.now().plusSeconds(600);
    // a roles claim as a string, with a repeated role: read as the set it names, never a 500
    Api repeated = env.anonymous().withToken(sign(new JWTClaimsSet.Builder(
        claims("user_1", "customer", env.issuerUrl, "orders-api", expiry)).claim("roles", "customer customer").build(), issuerKey));
    check("GET /orders with roles \"customer customer\"", repeated.get("/orders"), 200);
    // no roles at all: authenticated, but no right
    Api roleless = env.anonymous().withToken(sign(without(
        claims("user_1", "customer", env.issuerUrl, "orders-api", expiry), "roles"), issuerKey));
    check("GET /orders without roles", roleless.get("/orders"), 403);
    check("GET /orders with role Operator (case matters)", env.anonymous().withToken(sign(
        claims("user_1", "Operator", env.issuerUrl, "orders-api", expiry), issuerKey)).get("/orders"), 403);
    // paths a URL rule might miss: never more than the contract gives a customer
    Api user2 = env.client("user_2");
    for (String path : List.of("/orders/" + user1Order + "/", "/ORDERS/" + user1Order, "/orders//" + user1Order,
        "/orders/" + user1Order + ";x=y", "/customers/", "/customers/user_1/", "/admin/reset/", "/nothing-here")) {
      Api.Response response = user2.get(path);
      cases++;
      if (response.status() == 200 || response.status() >= 500 || response.raw().contains("Ada Lovelace")) {
        leak("GET " + path + " as user_2: " + response.status() + " " + response.raw());
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void anotherCustomersOrdersAreNeitherListedNorShown() {
    Api user2 = env.client("user_2");
    Api.Response mine = user2.post("/orders", orderJson("user_2", "product_1", 1, ADDRESS_US), "Prefer", "wait=30");
    assertThat(mine.status()).isEqualTo(200);
    for (String query : List.of("/orders", "/orders?customerId=user_1", "/orders?customerId=user_2&limit=200")) {
      Api.Response list = user2.get(query);
      cases++;
      assertThat(list.status()).isEqualTo(200);
      list.body().get("orders").forEach(o -> {
        if (!o.get("customerId").asString().equals("user_2")) {
          leak("GET " + query + " as user_2 listed " + o.get("orderId").asString() + " of " + o.get("customerId").asString());
        }
      });
      assertThat(list.raw()).doesNotContain(user1Order);
    }
    Api.Response theirs = user2.get("/orders/" + user1Order);
    assertThat(theirs.status()).isEqualTo(404);
    assertThat(theirs.raw()).doesNotContain("user_1").doesNotContain("Ada Lovelace");
    // the same body as for an order that does not exist: its existence is not revealed
    Api.Response none = user2.get("/orders/00000000-0000-0000-0000-000000000000");
    assertThat(theirs.body().get("title")).isEqualTo(none.body().get("title"));
    assertThat(leaks).isEmpty();
  }

  @Test
  void operatorsDoEverythingIncludingOrdersOnACustomersBehalf() {
    Api operator = env.client("operator");
    Api.Response placed = operator.post("/orders", orderJson("user_3", "product_1", 1, ADDRESS_US), "Prefer", "wait=30");
    assertThat(placed.status()).isEqualTo(200);
    assertThat(placed.body().get("customerId").asString()).isEqualTo("user_3");
    assertThat(placed.body().get("submittedBy").asString()).isEqualTo("operator");
    assertThat(operator.get("/orders/" + user1Order).status()).isEqualTo(200);
    assertThat(operator.get("/orders?customerId=user_1").body().get("orders").size()).isEqualTo(1);
    assertThat(operator.get("/customers").status()).isEqualTo(200);
    Api.Response restock = operator.put("/inventory/product_2", "{\"available\":60}");
    assertThat(restock.status()).isEqualTo(200);
    // who changed stock is shown to operators, not to customers
    assertThat(operator.get("/inventory/product_2").body().get("changes").get(0).get("principal").asString())
        .isEqualTo("operator");
    assertThat(env.client("user_1").get("/inventory/product_2").body().has("changes")).isFalse();
    operator.put("/inventory/product_2", "{\"available\":50}");
  }

  @Test
  void theCustomersCancelIsRecordedWithWhoAskedAndWhen() {
    Api user1 = env.client("user_1");
    // stock held back so the order waits at reserveInventory while it is cancelled
    String orderId;
    try (Connection lock = holdProductLock("product_3")) {
      Api.Response placed = user1.post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US));
      assertThat(placed.status()).isEqualTo(202);
      orderId = placed.body().get("orderId").asString();
      assertThat(env.client("user_2").post("/orders/" + orderId + "/cancel", "").status()).isEqualTo(404);
      Api.Response cancel = user1.post("/orders/" + orderId + "/cancel", "{\"reason\":\"changed my mind\"}");
      assertThat(cancel.status()).as(cancel.raw()).isIn(200, 202);
      lock.rollback();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    Reliability.awaitTerminal(user1, List.of(orderId), java.time.Duration.ofSeconds(60));
    Api.Response order = user1.get("/orders/" + orderId);
    assertThat(order.body().get("status").asString()).isEqualTo("CANCELLED");
    var audit = order.body().get("audit");
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.get(0).get("principal").asString()).isEqualTo("user_1");
    assertThat(audit.get(0).get("action").asString()).isEqualTo("CANCEL_ACCEPTED");
    assertThat(audit.get(0).get("detail").asString()).isEqualTo("changed my mind");
    assertThat(audit.get(0).get("at").asString()).isNotBlank();
    assertThat(env.client("operator").get("/orders/" + orderId).body().get("audit").size()).isEqualTo(1);
  }

  @Test
  void anOperatorsNoteOnACustomersOrderStaysInternal() {
    String orderId;
    try (Connection lock = holdProductLock("product_3")) {
      orderId = env.client("user_1").post("/orders", orderJson("user_1", "product_3", 1, ADDRESS_US))
          .body().get("orderId").asString();
      assertThat(env.client("operator").post("/orders/" + orderId + "/cancel", "{\"reason\":\"fraud suspected\"}")
          .status()).isIn(200, 202);
      lock.rollback();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    Reliability.awaitTerminal(env.client("user_1"), List.of(orderId), java.time.Duration.ofSeconds(60));
    Api.Response asCustomer = env.client("user_1").get("/orders/" + orderId);
    assertThat(asCustomer.body().get("status").asString()).isEqualTo("CANCELLED");
    // the reason is the order's failure message, meant for the customer; who gave it is internal
    assertThat(asCustomer.body().get("failure").get("message").asString()).isEqualTo("fraud suspected");
    assertThat(asCustomer.body().get("audit").size()).isZero();
    assertThat(asCustomer.raw()).doesNotContain("\"principal\"");
    Api.Response asOperator = env.client("operator").get("/orders/" + orderId);
    assertThat(asOperator.body().get("audit").get(0).get("detail").asString()).isEqualTo("fraud suspected");
    assertThat(asOperator.body().get("audit").get(0).get("principal").asString()).isEqualTo("operator");
  }

  @Test
  void idempotencyKeysBelongToThePrincipalThatSentThem() {
    String key = "checkout-" + System.nanoTime();
    String body = orderJson("user_1", "product_1", 1, ADDRESS_US);
    Api.Response first = env.client("user_1").post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30");
    Api.Response again = env.client("user_1").post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30");
    Api.Response operators = env.client("operator").post("/orders", body, "Idempotency-Key", key, "Prefer", "wait=30");
    Api.Response user2 = env.client("user_2").post("/orders", orderJson("user_2", "product_1", 1, ADDRESS_US),
        "Idempotency-Key", key, "Prefer", "wait=30");
    assertThat(List.of(first.status(), again.status(), operators.status(), user2.status())).containsOnly(200);
    String firstId = first.body().get("orderId").asString();
    assertThat(again.body().get("orderId").asString()).isEqualTo(firstId);
    assertThat(operators.body().get("orderId").asString()).isNotEqualTo(firstId);
    assertThat(user2.body().get("orderId").asString()).isNotEqualTo(firstId)
        .isNotEqualTo(operators.body().get("orderId").asString());
    assertThat(user2.body().get("customerId").asString()).isEqualTo("user_2");
    // user_2's key never reached user_1's order
    assertThat(user2.raw()).doesNotContain(firstId);
  }

  @Test
  void swaggerUiCanAuthorizeAgainstTheIssuer() throws Exception {
    Api.Response document = env.anonymous().get("/v3/api-docs");
    assertThat(document.status()).isEqualTo(200);
    var scheme = document.body().get("components").get("securitySchemes").get("oauth2");
    assertThat(scheme.get("flows").get("clientCredentials").get("tokenUrl").asString())
        .isEqualTo(env.issuerUrl + "/oauth2/token");
    assertThat(document.body().get("security").get(0).has("oauth2")).isTrue();
    // the browser's preflight from the api's origin (where Swagger UI runs) to the token endpoint
    var preflight = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
            .newBuilder(java.net.URI.create(env.issuerUrl + "/oauth2/token"))
            .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
            .header("Origin", env.apiUrl).header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(env.apiUrl);
  }

  // ---------------------------------------------------------------------------------------------

  private void expect(String client, Map<String, Integer> statuses) {
    Api api = env.client(client);
    Snapshot before = Snapshot.take();
    for (var expected : statuses.entrySet()) {
      Endpoint endpoint = endpoints.get(expected.getKey());
      check(endpoint.name() + " as " + client, endpoint.call().apply(api), expected.getValue());
    }
    // the refused and read-only calls above write nothing (user_1 and user_2 place no order here)
    assertThat(Snapshot.take()).as("nothing written by %s", client).isEqualTo(before);
  }

  private void check(String what, Api.Response response, int expected) {
    cases++;
    if (response.status() != expected) {
      leak(what + ": " + response.status() + " instead of " + expected + " " + response.raw());
      return;
    }
    if (expected >= 400) {
      boolean problem = response.header("Content-Type") != null
          && response.header("Content-Type").startsWith("application/problem+json");
      // the order id a 404 names is the caller's own input; no order, address or money data may follow
      if (!problem || response.raw().contains("\"customerId\"") || response.raw().contains("Ada Lovelace")
          || response.raw().contains("\"balance\"") || response.raw().contains("\"items\"")) {
        leak(what + ": the refusal is not a bare problem: " + response.raw());
      }
    }
  }

  private void leak(String what) {
    leaks.add(what);
    leaked++;
  }

  private static JWTClaimsSet claims(String subject, String role, String issuer, String audience, Instant expiry) {
    return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
        .issueTime(Date.from(expiry.minusSeconds(900))).notBeforeTime(Date.from(expiry.minusSeconds(900)))
        .expirationTime(Date.from(expiry)).claim("roles", List.of(role)).build();
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

  private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** The classic algorithm-confusion forgery: HMAC keyed with the issuer's public key. */
  private static String hmacWithPublicKey(JWTClaimsSet claims, RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
    byte[] secret = key.toPublicJWK().toRSAPublicKey().getEncoded(); // 294 bytes: long enough for HS256
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  /** Rewrites the payload of a genuine token and keeps its signature. */
  private static String tamper(String token, String from, String to) {
    String[] parts = token.split("\\.");
    var decoder = java.util.Base64.getUrlDecoder();
    var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
    String payload = new String(decoder.decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(payload).contains(from);
    return parts[0] + "." + encoder.encodeToString(payload.replace(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "." + parts[2];
  }

  /** What a refused request must not change: orders, stock, balances and the audit log. */
  private record Snapshot(long orders, long available, String balances, long auditEntries) {
    static Snapshot take() {
      try (Connection db = DriverManager.getConnection(env.jdbcUrl, "postgres", "")) {
        return new Snapshot(
            single(db, "SELECT count(*) FROM orders"),
            single(db, "SELECT sum(available) FROM products"),
            text(db, "SELECT string_agg(customer_id || '=' || balance, ',' ORDER BY customer_id) FROM customers"),
            single(db, "SELECT count(*) FROM audit_log"));
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private static long single(Connection db, String sql) throws java.sql.SQLException {
      try (ResultSet rs = db.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    private static String text(Connection db, String sql) throws java.sql.SQLException {
      try (ResultSet rs = db.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
