package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The issuer as ./run starts it, twice: a token issued before a restart still verifies with the keys
 * published after it, because the signing key is kept in its file. Each start listens on a free
 * port of 127.0.0.1.
 */
class AuthServerApplicationTests {

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private ConfigurableApplicationContext start(Path signingKey) {
    return new SpringApplicationBuilder(AuthServerApplication.class)
        .run("--server.port=0", "--orders.auth.signing-key=" + signingKey);
  }

  private static String base(ConfigurableApplicationContext issuer) {
    return "http://127.0.0.1:" + issuer.getEnvironment().getProperty("local.server.port");
  }

  private String token(String base) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
            .header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("user_1:user_1-secret".getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body()).get("access_token").asString();
  }

  private int loginWithoutCsrfToken(String base) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=operator_1&password=operator_1-password"))
            .build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private RSAKey publishedKey(String base) throws Exception {
    HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/jwks")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(jwks.statusCode()).isEqualTo(200);
    return JWKSet.parse(jwks.body()).getKeys().getFirst().toRSAKey();
  }

  @Test
  void aTokenIssuedBeforeARestartStillVerifiesAfterIt() throws Exception {
    Path signingKey = dir.resolve("data/auth/signing-key.json");

    String token;
    RSAKey before;
    try (ConfigurableApplicationContext issuer = start(signingKey)) {
      assertThat(issuer.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
      token = token(base(issuer));
      before = publishedKey(base(issuer));
      assertThat(loginWithoutCsrfToken(base(issuer))).as("refused as forbidden, also behind the error page")
          .isEqualTo(403);
    }
    assertThat(signingKey).isRegularFile();
    byte[] written = Files.readAllBytes(signingKey);

    try (ConfigurableApplicationContext issuer = start(signingKey)) {
      RSAKey after = publishedKey(base(issuer));
      assertThat(after.getKeyID()).isEqualTo(before.getKeyID());
      assertThat(SignedJWT.parse(token).verify(new RSASSAVerifier(after))).isTrue();
    }
    assertThat(Files.readAllBytes(signingKey)).as("read, not written again").isEqualTo(written);
  }
}
