package com.example.orders.temporal.access;

import io.grpc.Metadata;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@code authorization} values stubs built with some options put on every call. */
public final class AuthorizationHeaders {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private AuthorizationHeaders() {}

  public static List<String> sentWith(WorkflowServiceStubsOptions options) {
    List<String> values = new ArrayList<>();
    for (GrpcMetadataProvider provider : Objects.requireNonNullElse(options.getGrpcMetadataProviders(),
        List.<GrpcMetadataProvider>of())) {
      Iterable<String> sent = provider.getMetadata().getAll(AUTHORIZATION);
      if (sent != null) {
        sent.forEach(values::add);
      }
    }
    return values;
  }
}
