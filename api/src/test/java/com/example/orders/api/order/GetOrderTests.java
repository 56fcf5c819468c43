package com.example.orders.api.order;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.domain.order.StepLedger.StepRecord;
import com.example.orders.domain.shipping.ShipmentRepository;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderStatus;
import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GET /orders/{orderId} (docs/API.md, Orders): the order's fields, and who may see it. */
class GetOrderTests extends OrderControllerSlice {

  private static final String ORDER = "0f6b1a80-a2c0-4649-8262-eaf54eca7974";

  @Test
  void theOwnerReadsItsCompletedOrderWithEveryField() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.COMPLETED));
    given(ledger.findAll(ORDER)).willReturn(List.of(new StepRecord("reserveInventory", 1, true),
        new StepRecord("chargePayment", 1, true), new StepRecord("createShipment", 2, true),
        new StepRecord("confirmOrder", 1, true)));
    given(shipping.findShipment(ORDER)).willReturn(Optional.of(
        new ShipmentRepository.Shipment(ORDER, "TRK-1", "Demo Parcel", "BOOKED", null)));

    String body = mvc.perform(get("/orders/" + ORDER).with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.orderId").value(ORDER))
        .andExpect(jsonPath("$.workflowId").value("order-" + ORDER))
        .andExpect(jsonPath("$.customerId").value("user_1"))
        .andExpect(jsonPath("$.status").value("COMPLETED"))
        .andExpect(jsonPath("$.items", hasSize(1)))
        .andExpect(jsonPath("$.items[0].sku").value("product_1"))
        .andExpect(jsonPath("$.items[0].quantity").value(2))
        .andExpect(jsonPath("$.currency").value("USD"))
        .andExpect(jsonPath("$.failure").value((Object) null))
        .andExpect(jsonPath("$.steps[*].name")
            .value(contains("reserveInventory", "chargePayment", "createShipment", "confirmOrder")))
        .andExpect(jsonPath("$.steps[*].status").value(contains("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED")))
        .andExpect(jsonPath("$.steps[*].attempts").value(contains(1, 1, 2, 1)))
        .andExpect(jsonPath("$.shipment.trackingNumber").value("TRK-1"))
        .andExpect(jsonPath("$.shipment.carrier").value("Demo Parcel"))
        .andExpect(jsonPath("$.shipment.status").value("BOOKED"))
        .andExpect(jsonPath("$.createdAt").isNotEmpty())
        .andExpect(jsonPath("$.updatedAt").isNotEmpty())
        .andExpect(jsonPath("$.links.self").value("/orders/" + ORDER))
        .andExpect(jsonPath("$.links.temporalUi").value("http://localhost:8233/namespaces/default/workflows/order-" + ORDER))
        .andReturn().getResponse().getContentAsString();
    // money: JSON numbers with two decimals (the row's 50 is shown as 50.00)
    assertThat(body).contains("\"unitPrice\":50.00").contains("\"lineTotal\":100.00").contains("\"total\":100.00");
  }

  @Test
  void aFailedOrderShowsItsFailureAndWhichStepsWereUndone() throws Exception {
    OrderRecord failed = order(ORDER, "user_3", OrderStatus.FAILED);
    givenOrder(new OrderRecord(ORDER, "user_3", OrderStatus.FAILED, failed.total(), "USD", failed.shippingAddress(),
        "hash", null, new OrderFailure("chargePayment", "INSUFFICIENT_FUNDS", "Balance 200.00 does not cover 250.00", 1),
        null, "user_3", CREATED, CREATED));
    given(ledger.findAll(ORDER)).willReturn(List.of(new StepRecord("reserveInventory", 1, true),
        new StepRecord("releaseInventory", 1, true)));
    mvc.perform(get("/orders/" + ORDER).with(asCustomer("user_3")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("FAILED"))
        .andExpect(jsonPath("$.failure.step").value("chargePayment"))
        .andExpect(jsonPath("$.failure.reason").value("INSUFFICIENT_FUNDS"))
        .andExpect(jsonPath("$.failure.message").value("Balance 200.00 does not cover 250.00"))
        .andExpect(jsonPath("$.steps[*].status").value(contains("COMPENSATED", "FAILED", "SKIPPED", "SKIPPED")));
  }

  @Test
  void anotherCustomersOrderIs404ExactlyLikeOneThatDoesNotExist() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.COMPLETED));
    String theirs = mvc.perform(get("/orders/" + ORDER).with(asCustomer("user_2")))
        .andExpect(problem(404, "not-found"))
        .andReturn().getResponse().getContentAsString();
    String none = mvc.perform(get("/orders/00000000-0000-0000-0000-000000000000").with(asCustomer("user_2")))
        .andExpect(problem(404, "not-found"))
        .andReturn().getResponse().getContentAsString();
    assertThat(theirs).doesNotContain("user_1").doesNotContain("Ada Lovelace").doesNotContain("\"items\"");
    Map<String, Object> theirsProblem = JsonPath.read(theirs, "$");
    Map<String, Object> noneProblem = JsonPath.read(none, "$");
    assertThat(theirsProblem.get("title")).isEqualTo(noneProblem.get("title"));
    assertThat(((String) theirsProblem.get("detail")).replace(ORDER, "<id>"))
        .isEqualTo(((String) noneProblem.get("detail")).replace("00000000-0000-0000-0000-000000000000", "<id>"));
  }

  @Test
  void anOperatorReadsAnyOrderWithWhoPlacedItAndItsWholeAudit() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.CANCELLED));
    given(audit.about(AuditLog.order(ORDER), 20)).willReturn(List.of(
        new AuditLog.Entry(CREATED.plusMinutes(2), "operator", "CANCEL_ACCEPTED", "fraud suspected"),
        new AuditLog.Entry(CREATED.plusMinutes(1), "user_1", "CANCEL_REFUSED", "changed my mind")));
    given(orders.findReview(ORDER)).willReturn(Optional.of(new OrderRepository.ReviewRecord(
        CREATED.plusDays(1), "APPROVED", "called the customer", "operator", CREATED.plusHours(1))));

    mvc.perform(get("/orders/" + ORDER).with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.submittedBy").value("user_1"))
        .andExpect(jsonPath("$.audit", hasSize(2)))
        .andExpect(jsonPath("$.review.note").value("called the customer"))
        .andExpect(jsonPath("$.review.decidedBy").value("operator"));
    // the customer sees its own entries only, and not who decided its review or why
    mvc.perform(get("/orders/" + ORDER).with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.audit", hasSize(1)))
        .andExpect(jsonPath("$.audit[0].principal").value("user_1"))
        .andExpect(jsonPath("$.review.outcome").value("APPROVED"))
        .andExpect(jsonPath("$.review.note").value((Object) null))
        .andExpect(jsonPath("$.review.decidedBy").value((Object) null));
  }

  @Test
  void theCarrierAndTheAnonymousReadNoOrder() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.COMPLETED));
    mvc.perform(get("/orders/" + ORDER).with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/orders/" + ORDER)).andExpect(unauthorized());
  }
}
