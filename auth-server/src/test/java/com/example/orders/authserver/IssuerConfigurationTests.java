package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The issuer as the api, Prometheus, scripts and Swagger UI use it: client-credentials tokens for the
 * demo clients of docs/API.md, the keys that verify them, and nothing for anyone else. The whole
 * application with its application.yml, served by MockMvc (IssuerMockMvcTests).
 */
class IssuerConfigurationTests extends IssuerMockMvcTests {

  // ---------------------------------------------------------------------------------------------
  // the token endpoint

  @ParameterizedTest(name = "{0} gets a token with role {1}")
  @CsvSource({"user_1, customer", "user_2, customer", "user_3, customer", "operator, operator", "carrier, carrier"})
  void eachDemoClientGetsABearerTokenNamingItAndItsRoleForTheApi(String client, String role) throws Exception {
    MvcTestResult result = tokenRequest(basic(client, client + "-secret"), "grant_type=client_credentials");

    assertThat(result).hasStatusOk();
    assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
    JsonNode body = json(result);
    assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isBetween(3590L, 3600L);
    assertThat(body.has("refresh_token")).as("client credentials only: no refresh token").isFalse();

    JWTClaimsSet claims = verifiedClaims(body.get("access_token").asString());
    assertThat(claims.getSubject()).as("a customer's id is its token's subject").isEqualTo(client);
    assertThat(claims.getStringListClaim(IssuerConfiguration.ROLES_CLAIM)).containsExactly(role);
    assertThat(claims.getStringListClaim("roles")).containsExactly(role);
    assertThat(claims.getAudience()).containsExactly("orders-api", "temporal");
    assertThat(claims.getIssuer()).isEqualTo("http://localhost:9000");
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest(name = "{0} gets permissions {2} on the engine")
  @CsvSource(delimiter = '|', value = {
      "orders-api     |            | default:write",
      "orders-workers |            | default:worker",
      "operator       | operator   | default:admin"})
  void theEnginesClientsGetExactlyTheirPermissionsForBothAudiences(String client, String role, String permission)
      throws Exception {
    MvcTestResult result = tokenRequest(basic(client, client + "-secret"), "grant_type=client_credentials");

    assertThat(result).hasStatusOk();
    JWTClaimsSet claims = verifiedClaims(json(result).get("access_token").asString());
    assertThat(claims.getSubject()).isEqualTo(client);
    assertThat(claims.getStringListClaim(IssuerConfiguration.PERMISSIONS_CLAIM)).containsExactly(permission);
    assertThat(claims.getStringListClaim("permissions")).containsExactly(permission);
    assertThat(claims.getAudience()).containsExactly("orders-api", "temporal");
    if (role == null) {
      assertThat(claims.getClaim(IssuerConfiguration.ROLES_CLAIM)).as("no role on the api").isNull();
    } else {
      assertThat(claims.getStringListClaim(IssuerConfiguration.ROLES_CLAIM)).containsExactly(role);
    }
  }

  @ParameterizedTest(name = "{0} gets no permission on the engine")
  @CsvSource({"user_1", "user_2", "user_3", "carrier"})
  void customersAndTheCarrierGetNoPermissionsOnTheEngine(String client) throws Exception {
    MvcTestResult result = tokenRequest(basic(client, client + "-secret"), "grant_type=client_credentials");

    assertThat(result).hasStatusOk();
    JWTClaimsSet claims = verifiedClaims(json(result).get("access_token").asString());
    assertThat(claims.getSubject()).isEqualTo(client);
    assertThat(claims.getClaim(IssuerConfiguration.PERMISSIONS_CLAIM)).isNull();
  }

  @Test
  void theSecretMayAlsoComeInTheForm() throws Exception {
    MvcTestResult result = tokenRequest(null,
        "grant_type=client_credentials&client_id=operator&client_secret=operator-secret");

    assertThat(result).hasStatusOk();
    assertThat(verifiedClaims(json(result).get("access_token").asString()).getSubject()).isEqualTo("operator");
  }

  @Test
  void aWrongSecretGetsNoToken() throws Exception {
    for (String authorization : List.of(basic("user_1", "user_2-secret"), basic("operator", "operator"),
        basic("user_1", "USER_1-SECRET"), basic("carrier", "carrier-secret "))) {
      MvcTestResult result = tokenRequest(authorization, "grant_type=client_credentials");

      assertThat(result.getResponse().getStatus()).as(authorization).isEqualTo(401);
      assertThat(json(result).get("error").asString()).as(authorization).isEqualTo("invalid_client");
      assertThat(result.getResponse().getContentAsString()).as(authorization).doesNotContain("access_token");
    }
    // no secret at all: a malformed request
    MvcTestResult empty = tokenRequest(basic("operator", ""), "grant_type=client_credentials");
    assertThat(empty.getResponse().getStatus()).isIn(400, 401);
    assertThat(empty).bodyText().doesNotContain("access_token");
  }

  @Test
  void anUnknownClientOrNoneGetsNoToken() throws Exception {
    MvcTestResult stranger = tokenRequest(basic("mallory", "mallory-secret"), "grant_type=client_credentials");
    assertThat(stranger).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(json(stranger).get("error").asString()).isEqualTo("invalid_client");

    MvcTestResult anonymous = tokenRequest(null, "grant_type=client_credentials");
    assertThat(anonymous.getResponse().getStatus()).isIn(400, 401);
    assertThat(anonymous).bodyText().doesNotContain("access_token");
  }

  @Test
  void noOtherGrantIsOffered() throws Exception {
    MvcTestResult password = tokenRequest(basic("operator", "operator-secret"),
        "grant_type=password&username=operator&password=operator-secret");
    assertThat(password).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(json(password).get("error").asString()).isEqualTo("unsupported_grant_type");

    MvcTestResult code = tokenRequest(basic("operator", "operator-secret"),
        "grant_type=authorization_code&code=abc&redirect_uri=http://localhost:8080/");
    assertThat(code).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(code).bodyText().doesNotContain("access_token");
  }

  // ---------------------------------------------------------------------------------------------
  // what the api fetches to verify tokens

  @Test
  void theJwksPublishesThePublicHalfOfTheKeyInTheSigningKeyFile() throws Exception {
    MvcTestResult jwks = mvc.get().uri("/oauth2/jwks").exchange();

    assertThat(jwks).hasStatusOk();
    RSAKey published = publishedKey();
    assertThat(published.isPrivate()).as("no private part").isFalse();
    assertThat(jwks).bodyText().doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
    RSAKey inTheFile = RSAKey.parse(Files.readString(KEY_DIR.resolve("auth/signing-key.json")));
    assertThat(published.getKeyID()).isEqualTo(inTheFile.getKeyID());
    assertThat(published.getModulus()).isEqualTo(inTheFile.getModulus());
  }

  @Test
  void theSigningKeyFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = KEY_DIR.resolve("auth/signing-key.json");

    assertThat(file).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void theDiscoveryDocumentNamesTheIssuerItsKeysAndItsTokenEndpoint() throws Exception {
    MvcTestResult discovery = mvc.get().uri("/.well-known/openid-configuration").exchange();

    assertThat(discovery).hasStatusOk();
    JsonNode document = json(discovery);
    assertThat(document.get("issuer").asString()).isEqualTo("http://localhost:9000");
    assertThat(document.get("jwks_uri").asString()).isEqualTo("http://localhost:9000/oauth2/jwks");
    assertThat(document.get("token_endpoint").asString()).isEqualTo("http://localhost:9000/oauth2/token");
    assertThat(document.get("grant_types_supported").valueStream().map(JsonNode::asString))
        .contains("client_credentials");
  }

  // ---------------------------------------------------------------------------------------------
  // everything else

  @Test
  void healthIsPublic() {
    MvcTestResult health = mvc.get().uri("/actuator/health").exchange();

    assertThat(health).hasStatusOk();
    assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("UP");
  }

  @Test
  void nothingElseIsServedToAnAnonymousCaller() {
    for (String path : List.of("/actuator/env", "/actuator/info", "/userinfo", "/anything")) {
      MvcTestResult result = mvc.get().uri(path).exchange();
      assertThat(result.getResponse().getStatus()).as(path).isIn(401, 403);
    }
  }

  @Test
  void swaggerUiOnTheApisOriginMayAskForTokens() {
    MvcTestResult preflight = mvc.options().uri("/oauth2/token")
        .header(HttpHeaders.ORIGIN, "http://localhost:8080")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
        .exchange();

    assertThat(preflight).hasStatusOk();
    assertThat(preflight).headers().hasValue(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080");
    assertThat(preflight.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
  }

  @Test
  void anotherSitesPageMayNot() {
    MvcTestResult preflight = mvc.options().uri("/oauth2/token")
        .header(HttpHeaders.ORIGIN, "http://evil.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .exchange();

    assertThat(preflight).hasStatus(HttpStatus.FORBIDDEN);
    assertThat(preflight).headers().doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
  }

  @Test
  void aTokenAsksForNoSessionAndSetsNoCookie() {
    MvcTestResult result = tokenRequest(basic("user_1", "user_1-secret"), "grant_type=client_credentials");

    assertThat(result).hasStatusOk();
    assertThat(result.getResponse().getHeader(HttpHeaders.SET_COOKIE)).isNull();
    assertThat(result.getResponse().getHeader(HttpHeaders.CACHE_CONTROL)).as("never cached").contains("no-store");
  }
}
