package com.example.orders.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.Test;

/** ORDERS_TEMPORAL_GRPC_COMPRESSION reaches the service stubs the auto-configuration builds. */
class TemporalConnectionTests {

  private static GrpcCompression configured(String value) {
    WorkflowServiceStubsOptions.Builder builder = WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233");
    return new TemporalConnection().grpcCompression(value).customize(builder).build().getGrpcCompression();
  }

  @Test
  void noneTurnsOffTheSdksDefaultGzip() {
    assertThat(WorkflowServiceStubsOptions.newBuilder().build().getGrpcCompression()).isEqualTo(GrpcCompression.GZIP);
    assertThat(configured("none")).isEqualTo(GrpcCompression.NONE);
    assertThat(TemporalConnection.DEFAULT_COMPRESSION).isEqualTo(GrpcCompression.NONE);
  }

  @Test
  void gzipCanBeAskedForInAnyCase() {
    assertThat(configured(" GZip ")).isEqualTo(GrpcCompression.GZIP);
  }

  @Test
  void anythingElseIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> configured("zstd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_TEMPORAL_GRPC_COMPRESSION=zstd")
        .hasMessageContaining("none, gzip");
  }
}
