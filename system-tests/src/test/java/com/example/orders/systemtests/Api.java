package com.example.orders.systemtests;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny HTTP client for the api process, speaking JSON as a script or a browser would, with the
 * bearer token of one principal (or none: {@link EndToEndEnvironment#anonymous()}).
 */
public final class Api {

  public static final String ADDRESS_US = """
      {"name":"Ada Lovelace","line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"}""";

  public record Response(int status, JsonNode body, Map<String, java.util.List<String>> headers, String raw) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst().map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String authorization;

  /** @param token an access token sent as {@code Authorization: Bearer}, or null for none */
  public Api(String baseUrl, String token) {
    this(baseUrl, token, true);
  }

  private Api(String baseUrl, String credential, boolean bearer) {
    this.baseUrl = baseUrl;
    this.authorization = credential == null ? null : bearer ? "Bearer " + credential : credential;
  }

  /** The same api as another principal (null: no Authorization header). */
  public Api withToken(String otherToken) {
    return new Api(baseUrl, otherToken, true);
  }

  /** The same api with exactly this Authorization header value (a wrong scheme, say). */
  public Api withAuthorization(String headerValue) {
    return new Api(baseUrl, headerValue, false);
  }

  public static String orderJson(String customerId, String sku, int quantity, String addressJson) {
    return """
        {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":%s}"""
        .formatted(customerId, sku, quantity, addressJson);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  public Response post(String path, String json, String... headers) {
    return postRaw(path, "application/json", json, headers);
  }

  public Response postRaw(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  public Response put(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public void resetDemoData() {
    Response reset = post("/admin/reset", "");
    if (reset.status() != 200) {
      throw new IllegalStateException("reset failed: " + reset.raw());
    }
  }

  public int available(String sku) {
    return get("/inventory/" + sku).body().get("available").asInt();
  }

  public int reserved(String sku) {
    return get("/inventory/" + sku).body().get("reserved").asInt();
  }

  public int sold(String sku) {
    return get("/inventory/" + sku).body().get("sold").asInt();
  }

  public BigDecimal balance(String customerId) {
    return get("/customers/" + customerId).body().get("balance").decimalValue();
  }

  public long loyaltyPoints(String customerId) {
    return get("/customers/" + customerId).body().get("loyaltyPoints").asLong();
  }

  private Response send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(90)).build(),
          HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      boolean json = response.headers().firstValue("Content-Type").map(type -> type.contains("json")).orElse(true);
      JsonNode body = raw == null || raw.isBlank() || !json ? null : JSON.readTree(raw); // metrics are text
      return new Response(response.statusCode(), body, response.headers().map(), raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
