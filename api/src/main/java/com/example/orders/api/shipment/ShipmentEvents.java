package com.example.orders.api.shipment;

import com.example.orders.api.order.OrderView;
import com.example.orders.api.order.OrderViews;
import com.example.orders.api.order.UpdateRefusals;
import com.example.orders.api.problem.ApiException;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.security.Caller;
import com.example.orders.workflows.shipping.CarrierEvent;
import com.example.orders.domain.shipping.ShipmentRepository;
import com.example.orders.workflows.shipping.ShipmentState;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import com.example.orders.domain.shipping.ShippingService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * POST /shipments/{trackingNumber}/events. The shipment's workflow decides: its carrierEvent update
 * refuses what contradicts the shipment and records the rest before answering; the first event starts
 * it. Once the shipment is final (DELIVERED, LOST or CANCELLED), a repeat of a recorded event is still
 * answered the same, from the records, and anything else is refused without asking Temporal.
 */
@Service
class ShipmentEvents {

  private final WorkflowClient client;
  private final ShippingService shipping;
  private final OrderViews views;
  private final AuditLog audit;
  private final MeterRegistry metrics;

  ShipmentEvents(WorkflowClient client, ShippingService shipping, OrderViews views, AuditLog audit,
      MeterRegistry metrics) {
    this.client = client;
    this.shipping = shipping;
    this.views = views;
    this.audit = audit;
    this.metrics = metrics;
  }

  OrderView.Shipment report(String trackingNumber, String eventId, String type, OffsetDateTime occurredAt,
      Caller caller) {
    ShipmentRepository.Shipment shipment = shipping.findByTrackingNumber(trackingNumber)
        .orElseThrow(() -> ApiException.notFound("Shipment " + trackingNumber));
    OrderView.Shipment before = views.shipment(shipment);
    if (recorded(before, eventId)) {
      return before; // the same event again: the same answer, nothing changes
    }
    if (shipment.isFinal()) {
      // its tracking has ended (or never began, for a cancelled order): nothing can move it any more
      metrics.counter("orders.shipment.events", "outcome", "refused").increment();
      throw contradicts("Shipment is " + shipment.status() + ": it takes no more events");
    }
    CarrierEvent event = new CarrierEvent(eventId, type, occurredAt.withOffsetSameInstant(ZoneOffset.UTC).toString());
    try {
      send(shipment, event);
    } catch (WorkflowUpdateException rejected) {
      metrics.counter("orders.shipment.events", "outcome", "refused").increment();
      throw contradicts(UpdateRefusals.detail(rejected, "The event contradicts the shipment"));
    } catch (WorkflowNotFoundException | WorkflowExecutionAlreadyStarted | TrackingEnded notTracked) {
      // tracking ended meanwhile (DELIVERED or LOST), or never started (confirmed before tracking existed)
      OrderView.Shipment now = current(trackingNumber);
      if (recorded(now, eventId)) {
        return now; // recorded meanwhile, by the same event sent twice at once
      }
      metrics.counter("orders.shipment.events", "outcome", "refused").increment();
      throw contradicts("Shipment is " + now.status() + ": it takes no more events");
    }
    audit.record(caller.subject(), "SHIPMENT_" + type, AuditLog.order(shipment.orderId()), eventId);
    metrics.counter("orders.shipment.events", "outcome", type.toLowerCase(java.util.Locale.ROOT)).increment();
    return current(trackingNumber);
  }

  /** The tracking workflow of a shipment has ended: update-with-start may not start it again. */
  private static final class TrackingEnded extends RuntimeException {
    TrackingEnded(Throwable cause) {
      super(cause);
    }
  }

  /**
   * The shipment's workflow decides. A shipment with a delivery deadline on its row is tracked from
   * the carrier's first event: the event starts its workflow (update-with-start), or goes to the one
   * running. Without one, the order started the tracking itself (earlier workflow shape), if at all.
   */
  private void send(ShipmentRepository.Shipment shipment, CarrierEvent event) {
    if (shipment.deliveryDeadline() == null) {
      client.newWorkflowStub(ShipmentWorkflow.class, ShipmentWorkflow.workflowId(shipment.orderId())).carrierEvent(event);
      return;
    }
    ShipmentWorkflow tracker = client.newWorkflowStub(ShipmentWorkflow.class,
        ShipmentWorkflow.startOptions(shipment.orderId(), shipment.trackingNumber()));
    try {
      WorkflowClient.executeUpdateWithStart(tracker::carrierEvent, event,
          UpdateOptions.<ShipmentState>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
          new WithStartWorkflowOperation<>(tracker::track, shipment.tracking()));
    } catch (WorkflowServiceException e) {
      // SDK 1.38 reports a start refused by the reuse policy (the tracking ended) as a bare ALREADY_EXISTS
      if (e.getCause() instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        throw new TrackingEnded(e);
      }
      throw e;
    }
  }

  private static boolean recorded(OrderView.Shipment shipment, String eventId) {
    return shipment.events().stream().anyMatch(e -> e.eventId().equals(eventId));
  }

  private OrderView.Shipment current(String trackingNumber) {
    return views.shipment(shipping.findByTrackingNumber(trackingNumber).orElseThrow());
  }

  private static ApiException contradicts(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "shipment-event-contradicts", "Event contradicts the shipment", detail);
  }
}
