package com.example.orders.temporal;

import com.example.orders.temporal.access.TemporalAccess;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * How the api and the workers talk to Temporal, beyond its address (config/orders-temporal.properties).
 * The SDK gzips every request by default, and the server answers gzipped: next to Temporal, as under
 * ./run, that is CPU on both sides for no gain (docs/performance.md), so it is off unless asked for.
 * TLS and the credential: {@link TemporalAccess}, from the same ORDERS_TEMPORAL_* variables the tools read.
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

  /** Read from the Spring environment, so the variables can also be given as properties (tests). */
  @Bean
  public TemporalAccess temporalAccess(Environment environment) {
    return TemporalAccess.from(environment::getProperty);
  }

  @Bean
  public TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> temporalTlsAndToken(TemporalAccess access) {
    return access::configureAlongsideAutoConfiguration;
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
