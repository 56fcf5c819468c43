package com.example.orders.temporal.access;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.authorization.AuthorizationTokenSupplier;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process's access token for Temporal, granted by the issuer to its own client (OAuth 2.0 client
 * credentials, the secret sent as HTTP Basic). The SDK asks for the token on every call; the issuer is
 * asked only for the first and again once 80 % of the token's lifetime has passed. One caller renews
 * while the others go on with the still valid token; a failed renewal is retried a few seconds later
 * for as long as the old token is valid, then the calls fail with {@link TokenUnavailableException}.
 * Nothing is cached from a refusal: the next call asks again.
 */
public final class ClientCredentialsToken implements AuthorizationTokenSupplier {

  private static final Logger log = LoggerFactory.getLogger(ClientCredentialsToken.class);
  private static final double RENEW_AFTER_FRACTION_OF_LIFETIME = 0.8;
  /** How long a token counts as valid when the issuer does not say (expires_in is only recommended). */
  private static final Duration LIFETIME_IF_UNSAID = Duration.ofSeconds(60);
  private static final Duration RETRY_FAILED_RENEWAL_AFTER = Duration.ofSeconds(5);
  private static final Duration ISSUER_TIMEOUT = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A granted token, when to renew it and when it stops being accepted. */
  private record Token(String value, Instant renewAt, Instant expiresAt) {}

  private final URI tokenUrl;
  private final String clientId;
  private final String basicAuthorization;
  private final InstantSource clock;
  private final HttpClient http;
  private final ReentrantLock fetching = new ReentrantLock();
  private volatile Token current;

  public ClientCredentialsToken(URI tokenUrl, String clientId, String clientSecret) {
    this(tokenUrl, clientId, clientSecret, InstantSource.system());
  }

  ClientCredentialsToken(URI tokenUrl, String clientId, String clientSecret, InstantSource clock) {
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    // RFC 6749 2.3.1: both are form-encoded before they are joined and base64-encoded
    this.basicAuthorization = "Basic " + Base64.getEncoder().encodeToString(
        (formEncoded(clientId) + ":" + formEncoded(clientSecret)).getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(ISSUER_TIMEOUT).build();
  }

  public URI tokenUrl() {
    return tokenUrl;
  }

  public String clientId() {
    return clientId;
  }

  /** The token to send; asks the issuer only when none is held or the held one is due for renewal. */
  @Override
  public String supply() {
    Token held = current;
    Instant now = clock.instant();
    if (held != null && now.isBefore(held.renewAt())) {
      return held.value();
    }
    if (held != null && now.isBefore(held.expiresAt())) {
      if (!fetching.tryLock()) {
        return held.value(); // another caller is renewing it
      }
      try {
        return renewOrKeep(held);
      } finally {
        fetching.unlock();
      }
    }
    fetching.lock();
    try {
      Token fresh = current;
      if (fresh != null && clock.instant().isBefore(fresh.renewAt())) {
        return fresh.value(); // granted while this caller waited
      }
      current = request();
      return current.value();
    } finally {
      fetching.unlock();
    }
  }

  private String renewOrKeep(Token held) {
    if (current != held) {
      return current.value();
    }
    try {
      current = request();
    } catch (TokenUnavailableException e) {
      log.warn("{}; the current token stays valid until {}, retrying in {} s", e.reason(), held.expiresAt(),
          RETRY_FAILED_RENEWAL_AFTER.toSeconds());
      Instant retryAt = clock.instant().plus(RETRY_FAILED_RENEWAL_AFTER);
      current = new Token(held.value(), retryAt.isBefore(held.expiresAt()) ? retryAt : held.expiresAt(),
          held.expiresAt());
    }
    return current.value();
  }

  private Token request() {
    HttpRequest request = HttpRequest.newBuilder(tokenUrl)
        .timeout(ISSUER_TIMEOUT)
        .header("Authorization", basicAuthorization)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
        .build();
    Instant asked = clock.instant();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TokenUnavailableException(Status.UNAVAILABLE, "cannot reach the issuer at " + tokenUrl
          + " for client " + clientId + "'s Temporal token: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenUnavailableException(Status.CANCELLED, "interrupted while asking " + tokenUrl
          + " for a Temporal token", e);
    }
    JsonNode body = parsed(response.body());
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      throw new TokenUnavailableException(Status.UNAUTHENTICATED, "the issuer at " + tokenUrl + " refused client "
          + clientId + " a token for Temporal: HTTP " + status + " " + reason(body, response.body())
          + " (check " + TemporalAccess.CLIENT_ID + " and " + TemporalAccess.CLIENT_SECRET + ")", null);
    }
    if (status != 200) {
      throw new TokenUnavailableException(Status.UNAVAILABLE, "the issuer at " + tokenUrl + " failed client "
          + clientId + "'s request for a Temporal token: HTTP " + status + " " + reason(body, response.body()), null);
    }
    String value = body == null ? null : body.path("access_token").asString(null);
    if (value == null || value.isBlank()) {
      throw new TokenUnavailableException(Status.UNAUTHENTICATED, "the issuer at " + tokenUrl
          + " answered client " + clientId + " without an access_token", null);
    }
    long seconds = body.path("expires_in").asLong(0);
    Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : LIFETIME_IF_UNSAID;
    // timed from the request: the issuer started the clock before its answer arrived
    Duration renewAfter = Duration.ofMillis((long) (lifetime.toMillis() * RENEW_AFTER_FRACTION_OF_LIFETIME));
    return new Token(value, asked.plus(renewAfter), asked.plus(lifetime));
  }

  private static JsonNode parsed(String body) {
    try {
      return JSON.readTree(body);
    } catch (JacksonException notJson) {
      return null;
    }
  }

  /** The OAuth error and its description when the issuer gives them, else the start of its answer. */
  private static String reason(JsonNode body, String raw) {
    if (body != null && body.hasNonNull("error")) {
      String description = body.path("error_description").asString("");
      return body.get("error").asString() + (description.isEmpty() ? "" : " (" + description + ")");
    }
    String start = raw == null ? "" : raw.strip();
    return start.length() > 200 ? start.substring(0, 200) + "..." : start;
  }

  private static String formEncoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * No token for Temporal: the issuer refused the client (UNAUTHENTICATED, not retried) or could not
   * be reached (UNAVAILABLE, retried by the SDK). A gRPC status, since it fails the gRPC call it was
   * needed for: callers handle it as they handle Temporal's own refusals and outages.
   */
  public static final class TokenUnavailableException extends StatusRuntimeException {
    private final String reason;

    TokenUnavailableException(Status status, String reason, Throwable cause) {
      super(status.withDescription(reason).withCause(cause));
      this.reason = reason;
    }

    /** What went wrong, without the status code. */
    public String reason() {
      return reason;
    }
  }
}
