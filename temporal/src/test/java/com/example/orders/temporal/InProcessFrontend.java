package com.example.orders.temporal;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake Temporal frontend served in process, for slice tests of code that calls Temporal's gRPC API:
 * the test's {@link Service} answers, and the stubs here reach it without a network.
 * Records the {@code temporal-namespace} header of every call but the SDK's own GetSystemInfo.
 */
public final class InProcessFrontend implements AutoCloseable {

  /** The calls a test's fake answers; GetSystemInfo, which the SDK's stubs make on connecting, is answered here. */
  public abstract static class Service extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
      response.onNext(GetSystemInfoResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final Server server;
  private final ManagedChannel channel;
  private final WorkflowServiceStubs stubs;
  private final List<String> namespaceHeaders = new CopyOnWriteArrayList<>();

  private InProcessFrontend(Service service) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
              ServerCallHandler<Q, R> next) {
            if (!call.getMethodDescriptor().getBareMethodName().equals("GetSystemInfo")) {
              namespaceHeaders.add(String.valueOf(headers.get(NamespaceHeader.KEY)));
            }
            return next.startCall(call, headers);
          }
        }))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
  }

  /** Serves {@code service}, the test's answers to the calls under test. */
  public static InProcessFrontend serve(Service service) throws IOException {
    return new InProcessFrontend(service);
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  /** The namespace header of each call so far, in order ("null" for a call without one). */
  public List<String> namespaceHeaders() {
    return namespaceHeaders;
  }

  @Override
  public void close() throws InterruptedException {
    stubs.shutdownNow();
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
