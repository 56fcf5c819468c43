package com.example.orders.devtools.temporal;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.util.Map;

/**
 * {@code ./run}'s last resort when neither a {@code temporal} binary nor Go is available: the Java
 * SDK's in-memory test server on a port, with the order search attributes registered. No Web UI,
 * nothing persisted: a restart forgets every workflow.
 */
public final class InProcessTemporalServer {

  private InProcessTemporalServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: InProcessTemporalServer PORT (./run passes its Temporal port)");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    AutoCloseable server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    System.out.println("In-process Temporal test server ready on 127.0.0.1:" + port + " (no Web UI)");
    Thread.currentThread().join();
  }

  /** Starts the test server on {@code port} with the order search attributes; close it to stop it. */
  public static AutoCloseable start(int port) {
    var server = TestServer.createPortBoundServer(port);
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).validateAndBuildWithDefaults());
    operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
        .setNamespace(OrderContract.NAMESPACE)
        .putAllSearchAttributes(Map.of(
            OrderContract.ORDER_STATUS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            OrderContract.CUSTOMER_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            OrderContract.ORDER_TOTAL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE))
        .build());
    operator.shutdown();
    return server::close;
  }
}
