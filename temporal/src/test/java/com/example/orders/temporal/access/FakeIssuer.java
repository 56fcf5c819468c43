package com.example.orders.temporal.access;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A token endpoint on 127.0.0.1 for the tests: grants token-1, token-2... valid for {@link
 * #lifetimeSeconds} seconds to whoever sends the expected Basic credentials, or answers what the test
 * set with {@link #answer}. Records every request it got.
 */
final class FakeIssuer implements AutoCloseable {

  /** One request as the issuer saw it. */
  record Request(String method, String authorization, String contentType, String body) {}

  private final HttpServer server;
  private final String expectedAuthorization;
  private final AtomicInteger granted = new AtomicInteger();
  private final AtomicReference<int[]> forcedStatus = new AtomicReference<>();
  private final AtomicReference<String> forcedBody = new AtomicReference<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile long lifetimeSeconds = 300;

  FakeIssuer(String expectedAuthorization) throws IOException {
    this.expectedAuthorization = expectedAuthorization;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth2/token", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(exchange.getRequestMethod(), authorization,
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      int status;
      String answer;
      if (forcedStatus.get() != null) {
        status = forcedStatus.get()[0];
        answer = forcedBody.get();
      } else if (!expectedAuthorization.equals(authorization)) {
        status = 401;
        answer = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}";
      } else {
        status = 200;
        answer = "{\"access_token\":\"token-" + granted.incrementAndGet() + "\",\"token_type\":\"Bearer\","
            + "\"expires_in\":" + lifetimeSeconds + "}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  URI tokenUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token");
  }

  /** From now on every request gets this answer; {@link #grant()} goes back to granting. */
  void answer(int status, String body) {
    forcedBody.set(body);
    forcedStatus.set(new int[] {status});
  }

  void grant() {
    forcedStatus.set(null);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
