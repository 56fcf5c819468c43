package com.example.orders.temporal;

import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the api and the workers talk to Temporal, beyond its address (config/orders-temporal.properties).
 * The SDK gzips every request by default, and the server answers gzipped: next to Temporal, as under
 * ./run, that is CPU on both sides for no gain (docs/performance.md), so it is off unless asked for.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalConnection {

  /** What {@code ORDERS_TEMPORAL_GRPC_COMPRESSION} defaults to; the bench's own worker uses the same. */
  public static final GrpcCompression DEFAULT_COMPRESSION = GrpcCompression.NONE;

  @Bean
  public TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> grpcCompression(
      @Value("${orders.temporal.grpc-compression}") String compression) {
    GrpcCompression chosen = compression(compression);
    return builder -> builder.setGrpcCompression(chosen);
  }

  static GrpcCompression compression(String name) {
    try {
      return GrpcCompression.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ORDERS_TEMPORAL_GRPC_COMPRESSION=" + name
          + " is not one of none, gzip: gzip only where Temporal is across a slow network", e);
    }
  }
}
