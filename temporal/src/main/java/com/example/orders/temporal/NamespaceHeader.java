package com.example.orders.temporal;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;

/**
 * The {@code temporal-namespace} header that the SDK's own clients send with every call. Temporal
 * Cloud's API-key endpoint routes a call by it, so a raw gRPC call made without it fails there.
 */
public final class NamespaceHeader {

  public static final Metadata.Key<String> KEY = Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  private NamespaceHeader() {}

  /** {@code stub}, sending {@code namespace} in the header with each call. */
  public static WorkflowServiceBlockingStub attach(WorkflowServiceBlockingStub stub, String namespace) {
    Metadata header = new Metadata();
    header.put(KEY, namespace);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header));
  }
}
