package com.example.orders.temporal;

import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** The "temporal" component of /actuator/health: the frontend's gRPC health check. */
public class TemporalHealthIndicator extends AbstractHealthIndicator {

  private final WorkflowServiceStubs stubs;
  private final TemporalProperties properties;

  public TemporalHealthIndicator(WorkflowServiceStubs stubs, TemporalProperties properties) {
    super("Temporal health check failed");
    this.stubs = stubs;
    this.properties = properties;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    var response = stubs.healthCheck();
    builder.withDetail("target", properties.target()).withDetail("namespace", properties.namespace());
    if (response.getStatus() == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING) {
      builder.up();
    } else {
      builder.down().withDetail("status", response.getStatus().name());
    }
  }
}
