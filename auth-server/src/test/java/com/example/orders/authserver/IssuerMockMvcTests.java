package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole issuer with its application.yml, served by MockMvc, its signing key in a temporary
 * directory; and what its tests ask of it: tokens, and the published key that verifies them.
 */
@SpringBootTest
@AutoConfigureMockMvc
abstract class IssuerMockMvcTests {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Path KEY_DIR = temporaryDirectory();

  @DynamicPropertySource
  static void signingKeyInATemporaryDirectory(DynamicPropertyRegistry properties) {
    properties.add("orders.auth.signing-key", () -> KEY_DIR.resolve("auth/signing-key.json").toString());
  }

  /** Shared by every subclass (one application context), so removed when the test JVM exits. */
  private static Path temporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("issuer-tests");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
          // a temporary directory left behind is harmless
        }
      }));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired
  MockMvcTester mvc;

  static String basic(String clientId, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  MvcTestResult tokenRequest(String authorization, String form) {
    var request = mvc.post().uri("/oauth2/token").contentType(MediaType.APPLICATION_FORM_URLENCODED).content(form);
    return (authorization == null ? request : request.header(HttpHeaders.AUTHORIZATION, authorization)).exchange();
  }

  static JsonNode json(MvcTestResult result) throws Exception {
    return JSON.readTree(result.getResponse().getContentAsString());
  }

  RSAKey publishedKey() throws Exception {
    MvcTestResult jwks = mvc.get().uri("/oauth2/jwks").exchange();
    assertThat(jwks).hasStatusOk();
    List<com.nimbusds.jose.jwk.JWK> keys = JWKSet.parse(jwks.getResponse().getContentAsString()).getKeys();
    assertThat(keys).hasSize(1);
    return keys.getFirst().toRSAKey();
  }

  /** The token's claims, once its signature verified with the key the JWKS publishes. */
  JWTClaimsSet verifiedClaims(String accessToken) throws Exception {
    SignedJWT jwt = SignedJWT.parse(accessToken);
    RSAKey key = publishedKey();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
    assertThat(jwt.verify(new RSASSAVerifier(key))).as("signed by the published key").isTrue();
    return jwt.getJWTClaimsSet();
  }
}
