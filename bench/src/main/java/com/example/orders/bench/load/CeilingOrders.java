package com.example.orders.bench.load;

import com.example.orders.bench.load.LoadGenerator.Sample;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderResult;
import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.order.ShippingAddress;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import com.example.orders.temporal.DeploymentCurrentVersion;
import com.example.orders.temporal.TemporalConnection;
import com.example.orders.temporal.access.TemporalAccess;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's ceiling for the order's shape: the real OrderWorkflowImpl and ShipmentWorkflowImpl,
 * run by a worker in this process on {@link NoOpOrderSteps}, started straight on Temporal with the
 * api's start options and timed from start to result. What the order flow adds on top of it (api,
 * database, the activities' work) is what separates its step-up from this one. Run it on a stack
 * with no other workers on the orders task queue: {@code ./run bench ceiling} starts Temporal alone.
 * The worker is a version of Worker Deployment orders, as the workers are, and made current: it
 * refuses a Temporal where another version is.
 */
final class CeilingOrders implements OrderChannel, AutoCloseable {

  /**
   * The api's default delivery deadline: every order tracks its delivery (on the current shape the
   * booking records the deadline and the carrier's first event starts the tracking).
   */
  private static final Duration DELIVERY_WITHIN = Duration.ofDays(14);
  private static final BigDecimal PRICE = new BigDecimal("10.00");
  /** The workers' Worker Deployment (workers/src/main/resources/application.yml). */
  private static final String DEPLOYMENT = "orders";
  private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);

  private final PayloadEncryptionCodec codec;
  private final TemporalAccess access;
  /** False for the experiment that prices delivery tracking: the orders ask for none. */
  private final boolean deliveryTracking;
  private final NoOpOrderSteps steps = new NoOpOrderSteps();
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  /** Order ids stay unique across the stages of a run (each stage numbers its orders from 0). */
  private final AtomicLong sent = new AtomicLong();
  private WorkflowServiceStubs service;
  private WorkerFactory workers;
  private WorkflowClient client;

  CeilingOrders(PayloadEncryptionCodec codec, TemporalAccess access, boolean deliveryTracking) {
    this.codec = codec;
    this.access = access;
    this.deliveryTracking = deliveryTracking;
  }

  /** With the payload encryption the api and workers use, from the same settings. */
  static CeilingOrders fromEnvironment(TemporalAccess access, boolean deliveryTracking) {
    boolean encrypt = !"false".equalsIgnoreCase(System.getenv("ORDERS_ENCRYPTION"));
    PayloadKeyring keyring = PayloadKeyring.configured(System.getenv("ORDERS_ENCRYPTION_KEYS_FILE"),
        System.getenv("ORDERS_ENCRYPTION_KEYS"));
    return new CeilingOrders(new PayloadEncryptionCodec(keyring, encrypt), access, deliveryTracking);
  }

  @Override
  public void setUp(LoadConfig config) {
    service = WorkflowServiceStubs.newServiceStubs(access.configure(
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalTarget())
            .setGrpcCompression(TemporalConnection.DEFAULT_COMPRESSION)) // as the workers it stands in for
        .build());
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
        .setNamespace(config.namespace())
        .setDataConverter(codec.dataConverter())
        .build());
    workers = WorkerFactory.newInstance(client);
    WorkerDeploymentVersion version = new WorkerDeploymentVersion(DEPLOYMENT, "ceiling-" + run);
    // the capacity and deployment workers/src/main/resources/application.yml give the real worker
    var worker = workers.newWorker(OrderContract.TASK_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskExecutionSize(50)
        .setMaxConcurrentActivityExecutionSize(50)
        .setDeploymentOptions(WorkerDeploymentOptions.newBuilder().setUseVersioning(true).setVersion(version).build())
        .build());
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, ShipmentWorkflowImpl.class);
    worker.registerActivitiesImplementations(steps);
    workers.start();
    makeCurrent(version);
  }

  /** Makes this worker's version current (the first orders would wait otherwise), or refuses another's. */
  private void makeCurrent(WorkerDeploymentVersion version) {
    DeploymentCurrentVersion current = new DeploymentCurrentVersion(service, client.getOptions().getNamespace(),
        OrderContract.TASK_QUEUE, version, client.getOptions().getIdentity(), false, Duration.ofMillis(200));
    try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<DeploymentCurrentVersion.Result> made = background.submit(current::await);
      try {
        if (made.get(REGISTRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS).outcome()
            == DeploymentCurrentVersion.Outcome.OTHER_CURRENT) {
          throw new IllegalStateException("Worker Deployment " + DEPLOYMENT + " has another current version: the "
              + "ceiling's worker would get no task. Run it on a Temporal of its own (./run bench ceiling starts one)");
        }
      } catch (TimeoutException e) {
        made.cancel(true);
        throw new IllegalStateException("the ceiling's worker was not registered with Temporal within "
            + REGISTRATION_TIMEOUT.toSeconds() + " s", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void send(LoadConfig config, Sample sample) {
    String orderId = "ceiling-" + run + "-" + sent.incrementAndGet();
    OrderRequest order = request(orderId, sample.planned, deliveryTracking ? DELIVERY_WITHIN : null);
    if (sample.planned.failing()) {
      steps.refuseShipmentOf(orderId);
    }
    sample.orderId = orderId;
    try {
      WorkflowStub workflow = client.newUntypedWorkflowStub(OrderContract.WORKFLOW_TYPE, OrderContract.startOptions(order));
      sample.sentNanos = System.nanoTime();
      workflow.start(order);
      try {
        OrderResult result = workflow.getResult(config.waitSeconds(), TimeUnit.SECONDS, OrderResult.class);
        sample.status = result.status().name();
      } catch (WorkflowFailedException failed) {
        sample.status = "FAILED";
        sample.reason = failed.getCause() instanceof ApplicationFailure app ? app.getType() : failed.getCause().toString();
      }
      sample.doneNanos = System.nanoTime();
      sample.terminalEpochMillis = System.currentTimeMillis();
      sample.http = 200;
    } catch (TimeoutException stillRunning) {
      sample.doneNanos = System.nanoTime();
      sample.http = 200;
      sample.status = "PENDING";
    } catch (RuntimeException e) {
      sample.doneNanos = System.nanoTime();
      sample.error = e.toString();
    }
  }

  /** Every ceiling order is timed to its result ({@link LoadConfig#forCeiling()}): nothing to resolve. */
  @Override
  public void resolveAccepted(LoadConfig config, List<Sample> samples) {}

  private static OrderRequest request(String orderId, LoadGenerator.Planned planned, Duration deliveryWithin) {
    List<OrderLine> lines = planned.skus().stream().map(sku -> new OrderLine(sku, 1, PRICE)).toList();
    ShippingAddress address = new ShippingAddress("Bench Buyer", "1 Load St", "Springfield", "12345",
        planned.failing() ? "AQ" : "US");
    return new OrderRequest(orderId, planned.customer(), lines, address, PRICE.multiply(BigDecimal.valueOf(lines.size())),
        OrderContract.CURRENCY, "ceiling", null, deliveryWithin);
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
  }
}
