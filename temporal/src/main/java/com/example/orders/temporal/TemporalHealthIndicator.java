package com.example.orders.temporal;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The "temporal" component of /actuator/health in the api and workers processes: the frontend's gRPC
 * health check. Temporal's Spring Boot auto-configuration builds the client but reports no health.
 */
@Component("temporal")
public class TemporalHealthIndicator extends AbstractHealthIndicator {

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  public TemporalHealthIndicator(WorkflowServiceStubs stubs, WorkflowClient client) {
    super("Temporal health check failed");
    this.stubs = stubs;
    this.client = client;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.withDetail("target", stubs.getOptions().getTarget())
        .withDetail("namespace", client.getOptions().getNamespace());
    ServingStatus status = stubs.healthCheck().getStatus();
    if (status == ServingStatus.SERVING) {
      builder.up();
    } else {
      builder.down().withDetail("status", status.name());
    }
  }
}
