package com.example.orders.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A client-credentials access token, fetched the way docs/API.md says a client gets one (HTTP Basic
 * with the client id and secret, grant_type=client_credentials) and fetched again before it expires.
 * Fetching happens outside the measured requests' clocks only at start; a refresh during a run is one
 * extra request every few minutes.
 */
final class AccessToken {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI tokenUrl;
  private final String basic;
  private String token;
  private long renewAtNanos;

  AccessToken(HttpClient http, URI tokenUrl, String client) {
    int colon = client.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("--client is ID:SECRET (default operator:operator-secret)");
    }
    this.http = http;
    this.tokenUrl = tokenUrl;
    this.basic = "Basic " + Base64.getEncoder().encodeToString(client.getBytes(StandardCharsets.UTF_8));
  }

  /** The Authorization header value. */
  synchronized String bearer() throws IOException, InterruptedException {
    if (token == null || System.nanoTime() > renewAtNanos) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl)
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", basic)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the token endpoint " + tokenUrl + " answered " + response.statusCode()
            + ": " + response.body() + " (check --token-url and --client)");
      }
      JsonNode body = JSON.readTree(response.body());
      token = body.path("access_token").asText();
      long lifetimeSeconds = body.path("expires_in").asLong(300);
      renewAtNanos = System.nanoTime() + Duration.ofSeconds(lifetimeSeconds * 4 / 5).toNanos();
    }
    return "Bearer " + token;
  }
}
