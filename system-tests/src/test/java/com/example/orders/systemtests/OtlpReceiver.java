package com.example.orders.systemtests;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal OTLP/HTTP trace receiver (protobuf, POST /v1/traces) that keeps every span the api and
 * the workers export, so that a test can look at one order's trace as a trace backend would.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span, its ids hex as backends show them; parent empty for a root span. */
  record Span(String service, String traceId, String spanId, String parentSpanId, String name) {}

  private final HttpServer server;
  private final List<Span> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/v1/traces", exchange -> {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
      request.getResourceSpansList().forEach(resource -> {
        String service = resource.getResource().getAttributesList().stream()
            .filter(a -> a.getKey().equals("service.name")).map(a -> a.getValue().getStringValue())
            .findFirst().orElse("");
        resource.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> spans.add(new Span(service,
            hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
            hex(span.getParentSpanId().toByteArray()), span.getName()))));
      });
      byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    server.start();
  }

  /** Where the processes send their spans (MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT). */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  List<Span> spans() {
    return List.copyOf(spans);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
