package com.example.orders.temporal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.temporal.access.ClientCredentialsToken.TokenUnavailableException;
import io.grpc.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials token against a token endpoint on 127.0.0.1, on a clock the test moves. */
class ClientCredentialsTokenTests {

  /** id and secret form-encoded before they are joined (RFC 6749 2.3.1): ':' and '%' must not leak through. */
  private static final String SECRET = "orders:workers%secret";
  private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
      "orders-workers:orders%3Aworkers%25secret".getBytes(StandardCharsets.UTF_8));

  /** A clock that moves only when told. */
  private static final class TestClock implements InstantSource {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }
  }

  private FakeIssuer issuer;
  private final TestClock clock = new TestClock();
  private ClientCredentialsToken token;

  @BeforeEach
  void issuer() throws Exception {
    issuer = new FakeIssuer(BASIC);
    issuer.lifetimeSeconds = 100;
    token = new ClientCredentialsToken(issuer.tokenUrl(), "orders-workers", SECRET, clock);
  }

  @AfterEach
  void stop() {
    issuer.close();
  }

  @Test
  void asksTheIssuerOnceWithBasicCredentialsAndReusesTheToken() {
    for (int call = 0; call < 100; call++) {
      assertThat(token.supply()).isEqualTo("token-1");
    }

    assertThat(issuer.requests).containsExactly(new FakeIssuer.Request("POST", BASIC,
        "application/x-www-form-urlencoded", "grant_type=client_credentials"));
  }

  @Test
  void concurrentFirstCallsShareOneRequest() throws Exception {
    List<Callable<String>> callers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      callers.add(token::supply);
    }
    List<String> supplied = new ArrayList<>();
    try (var threads = Executors.newFixedThreadPool(16)) {
      for (Future<String> result : threads.invokeAll(callers)) {
        supplied.add(result.get());
      }
    }

    assertThat(supplied).hasSize(16).containsOnly("token-1");
    assertThat(issuer.requests).hasSize(1);
  }

  @Test
  void renewsOnce80PercentOfTheLifetimeHasPassed() {
    assertThat(token.supply()).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(79));
    assertThat(token.supply()).isEqualTo("token-1");
    assertThat(issuer.requests).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    assertThat(token.supply()).isEqualTo("token-2");
    assertThat(token.supply()).isEqualTo("token-2");
    assertThat(issuer.requests).hasSize(2);
  }

  @Test
  void aFailedRenewalKeepsTheValidTokenAndRetriesSecondsLater() {
    token.supply();
    clock.advance(Duration.ofSeconds(81));
    issuer.answer(503, "down for maintenance");

    assertThat(token.supply()).as("still valid for 19 s").isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(3));
    assertThat(token.supply()).isEqualTo("token-1");
    assertThat(issuer.requests).as("no retry within 5 s").hasSize(2);

    issuer.grant();
    clock.advance(Duration.ofSeconds(3));
    assertThat(token.supply()).isEqualTo("token-2");
    assertThat(issuer.requests).hasSize(3);
  }

  @Test
  void onceExpiredWithoutRenewalTheCallsFailWithTheIssuersAnswer() {
    token.supply();
    clock.advance(Duration.ofSeconds(81));
    issuer.answer(503, "down for maintenance");
    token.supply();
    clock.advance(Duration.ofSeconds(20));

    assertThatThrownBy(token::supply)
        .isInstanceOfSatisfying(TokenUnavailableException.class, e -> {
          assertThat(e.getStatus().getCode()).as("retried by the SDK").isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.reason()).isEqualTo("the issuer at " + issuer.tokenUrl()
              + " failed client orders-workers's request for a Temporal token: HTTP 503 down for maintenance");
        });
  }

  @Test
  void aRefusedSecretIsAClearError() {
    ClientCredentialsToken wrong = new ClientCredentialsToken(issuer.tokenUrl(), "orders-workers", "wrong", clock);

    assertThatThrownBy(wrong::supply)
        .isInstanceOf(TokenUnavailableException.class)
        .hasMessage("UNAUTHENTICATED: the issuer at " + issuer.tokenUrl() + " refused client orders-workers a token"
            + " for Temporal: HTTP 401 invalid_client (Client authentication failed) "
            + "(check ORDERS_TEMPORAL_CLIENT_ID and ORDERS_TEMPORAL_CLIENT_SECRET)");
    assertThatThrownBy(wrong::supply).as("asked again: nothing cached from a refusal")
        .isInstanceOf(TokenUnavailableException.class);
    assertThat(issuer.requests).hasSize(2);
  }

  @Test
  void anAnswerWithoutATokenIsAnError() {
    issuer.answer(200, "{\"token_type\":\"Bearer\"}");

    assertThatThrownBy(token::supply).hasMessageContaining("answered client orders-workers without an access_token");
  }

  @Test
  void anUnreachableIssuerIsNamed() {
    URI nobody = URI.create("http://127.0.0.1:1/oauth2/token");
    ClientCredentialsToken unreachable = new ClientCredentialsToken(nobody, "orders-api", "s", clock);

    assertThatThrownBy(unreachable::supply)
        .isInstanceOf(TokenUnavailableException.class)
        .hasMessageStartingWith("UNAVAILABLE: cannot reach the issuer at http://127.0.0.1:1/oauth2/token"
            + " for client orders-api's Temporal token");
  }
}
