package com.example.orders.api.shipment;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.invalidFields;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.api.order.OrderView;
import com.example.orders.api.order.OrderViews;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.shipping.ShipmentRepository.Shipment;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.workflows.shipping.CarrierEvent;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * POST /shipments/{trackingNumber}/events (docs/API.md, Delivery): the carrier's webhook. The
 * decision is ShipmentEvents' (as it is); the shipment's records and its workflow are mocked.
 */
@WebMvcTest(ShipmentEventController.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import(ShipmentEvents.class)
class ShipmentEventControllerTests {

  private static final String TRACKING = "TRK-1A2B3C4D-5E6F";
  private static final String EVENTS = "/shipments/" + TRACKING + "/events";
  private static final String DISPATCHED = """
      {"eventId":"evt-1","type":"DISPATCHED","occurredAt":"2026-12-01T12:15:30+02:00"}""";

  @Autowired
  private MockMvc mvc;

  @Autowired
  private WorkflowClient temporal;

  @MockitoBean
  private ShippingService shipping;

  @MockitoBean
  private OrderViews views;

  @MockitoBean
  private AuditLog audit;

  /** The carrier's events the shipment's records hold. */
  private final List<OrderView.ShipmentEvent> recorded = new ArrayList<>();

  @BeforeEach
  void shipmentsAreShownWithTheirRecordedEvents() {
    given(views.shipment(any())).willAnswer(call -> {
      Shipment shipment = call.getArgument(0);
      return new OrderView.Shipment(shipment.trackingNumber(), shipment.carrier(), shipment.status(),
          List.copyOf(recorded), null);
    });
  }

  @Test
  void theCarriersEventMovesTheShipmentAndTheAnswerIsTheShipmentNow() throws Exception {
    given(shipping.findByTrackingNumber(TRACKING))
        .willReturn(Optional.of(shipment("BOOKED")))
        .willReturn(Optional.of(shipment("DISPATCHED")));
    ShipmentWorkflow workflow = givenTrackingWorkflow();

    mvc.perform(event(DISPATCHED).with(asCarrier()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.trackingNumber").value(TRACKING))
        .andExpect(jsonPath("$.status").value("DISPATCHED"));
    // the time as the carrier sent it, in UTC
    then(workflow).should().carrierEvent(new CarrierEvent("evt-1", "DISPATCHED", "2026-12-01T10:15:30Z"));
    then(audit).should().record("carrier", "SHIPMENT_DISPATCHED", AuditLog.order("o-1"), "evt-1");
  }

  @Test
  void theSameEventAgainChangesNothingAndGetsTheSameAnswer() throws Exception {
    given(shipping.findByTrackingNumber(TRACKING)).willReturn(Optional.of(shipment("DISPATCHED")));
    recorded.add(new OrderView.ShipmentEvent("evt-1", "DISPATCHED", OffsetDateTime.parse("2026-12-01T10:15:30Z"),
        OffsetDateTime.parse("2026-12-01T10:15:31Z")));
    mvc.perform(event(DISPATCHED).with(asCarrier()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("DISPATCHED"))
        .andExpect(jsonPath("$.events", hasSize(1)));
    then(temporal).should(never()).newWorkflowStub(eq(ShipmentWorkflow.class), anyString());
    then(audit).shouldHaveNoInteractions();
  }

  @Test
  void anEventThatContradictsTheShipmentIs409() throws Exception {
    given(shipping.findByTrackingNumber(TRACKING)).willReturn(Optional.of(shipment("DISPATCHED")));
    ShipmentWorkflow workflow = givenTrackingWorkflow();
    given(workflow.carrierEvent(any())).willThrow(new WorkflowUpdateException(WorkflowExecution.getDefaultInstance(),
        "update-1", "carrierEvent", ApplicationFailure.newFailure("Shipment is DISPATCHED already", "CONTRADICTS")));
    mvc.perform(event("""
            {"eventId":"evt-2","type":"DISPATCHED","occurredAt":"2026-12-01T11:00:00Z"}""").with(asCarrier()))
        .andExpect(problem(409, "shipment-event-contradicts"))
        .andExpect(jsonPath("$.detail").value("Shipment is DISPATCHED already"));
    then(audit).shouldHaveNoInteractions();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELIVERED", "LOST", "CANCELLED"})
  void aShipmentWhoseTrackingEndedTakesNoNewEvent(String status) throws Exception {
    given(shipping.findByTrackingNumber(TRACKING)).willReturn(Optional.of(
        new Shipment("o-1", TRACKING, "Demo Parcel", status, OffsetDateTime.parse("2026-12-15T10:00:00Z"))));
    mvc.perform(event(DISPATCHED).with(asCarrier())).andExpect(problem(409, "shipment-event-contradicts"));
    then(temporal).should(never()).newWorkflowStub(eq(ShipmentWorkflow.class), any(WorkflowOptions.class));
    then(temporal).should(never()).newWorkflowStub(eq(ShipmentWorkflow.class), anyString());
  }

  @Test
  void anUnknownTrackingNumberIs404() throws Exception {
    mvc.perform(post("/shipments/TRK-NOPE/events").with(asCarrier())
            .contentType(MediaType.APPLICATION_JSON).content(DISPATCHED))
        .andExpect(problem(404, "not-found"));
    mvc.perform(post("/shipments/" + "T".repeat(101) + "/events").with(asCarrier())
            .contentType(MediaType.APPLICATION_JSON).content(DISPATCHED))
        .andExpect(problem(404, "not-found"));
  }

  @Test
  void operatorsMayReportForTheCarrier() throws Exception {
    given(shipping.findByTrackingNumber(TRACKING)).willReturn(Optional.of(shipment("BOOKED")));
    givenTrackingWorkflow();
    mvc.perform(event(DISPATCHED).with(asOperator())).andExpect(status().isOk());
    then(audit).should().record("operator", "SHIPMENT_DISPATCHED", AuditLog.order("o-1"), "evt-1");
  }

  @Test
  void customersAndTheAnonymousReportNothing() throws Exception {
    mvc.perform(event(DISPATCHED).with(asCustomer("user_1"))).andExpect(forbidden());
    mvc.perform(event(DISPATCHED)).andExpect(unauthorized());
    then(shipping).shouldHaveNoInteractions();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"eventId\":\"evt-1\",\"type\":\"LOST\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}|/type",
      "{\"eventId\":\"evt 1\",\"type\":\"DISPATCHED\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}|/eventId",
      "{\"eventId\":\"\",\"type\":\"DISPATCHED\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}|/eventId",
      "{\"eventId\":\"evt-1\",\"type\":\"DISPATCHED\"}|/occurredAt",
      "{\"eventId\":\"evt-1\",\"type\":\"DISPATCHED\",\"occurredAt\":\"yesterday\"}|/occurredAt",
      "{\"eventId\":\"evt-1\",\"type\":\"DISPATCHED\",\"occurredAt\":\"2026-12-01T10:00:00Z\",\"status\":\"DELIVERED\"}|/status"})
  void anInvalidEventIs400NamingTheField(String bodyAndPointer) throws Exception {
    String[] parts = bodyAndPointer.split("\\|");
    mvc.perform(event(parts[0]).with(asCarrier())).andExpect(invalidFields(parts[1]));
    then(shipping).shouldHaveNoInteractions();
  }

  @Test
  void malformedJsonIs400AndAnotherContentTypeIs415() throws Exception {
    mvc.perform(event("{\"eventId\":").with(asCarrier())).andExpect(problem(400, "malformed-body"));
    mvc.perform(post(EVENTS).with(asCarrier()).contentType(MediaType.APPLICATION_FORM_URLENCODED).content("eventId=evt-1"))
        .andExpect(problem(415, "http-415"));
    then(shipping).shouldHaveNoInteractions();
  }

  private static MockHttpServletRequestBuilder event(String body) {
    return post(EVENTS).contentType(MediaType.APPLICATION_JSON).content(body);
  }

  /** A shipment tracked by the workflow its order started (no delivery deadline on the row). */
  private static Shipment shipment(String status) {
    return new Shipment("o-1", TRACKING, "Demo Parcel", status, null);
  }

  private ShipmentWorkflow givenTrackingWorkflow() {
    ShipmentWorkflow workflow = Mockito.mock(ShipmentWorkflow.class);
    given(temporal.newWorkflowStub(ShipmentWorkflow.class, ShipmentWorkflow.workflowId("o-1"))).willReturn(workflow);
    return workflow;
  }
}
