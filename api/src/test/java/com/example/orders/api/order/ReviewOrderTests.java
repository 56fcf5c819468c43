package com.example.orders.api.order;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.invalidFields;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.ReviewDecision;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** POST /orders/{orderId}/review (docs/API.md, operator): 200 with the order, 409 when it does not wait, operators only. */
class ReviewOrderTests extends OrderControllerSlice {

  private static final String ORDER = "5e0b7a10-0000-4000-8000-000000000002";

  @ParameterizedTest
  @ValueSource(strings = {"APPROVE", "REJECT"})
  void anOperatorDecidesOnAnOrderAwaitingReview(String decision) throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.AWAITING_REVIEW));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    String outcome = decision.equals("APPROVE") ? OrderReview.APPROVED : OrderReview.REJECTED;
    given(workflow.review(any()))
        .willReturn(new OrderReview(outcome, "called the customer", "operator", "2026-12-01T11:00:00Z"));
    mvc.perform(review("{\"decision\":\"" + decision + "\",\"note\":\"called the customer\"}").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.orderId").value(ORDER))
        .andExpect(jsonPath("$.status").value("AWAITING_REVIEW"));
    then(workflow).should().review(new ReviewDecision(decision, "called the customer", "operator"));
    then(audit).should().record("operator", "REVIEW_" + outcome, AuditLog.order(ORDER), "called the customer");
  }

  @Test
  void aDecisionWithoutANoteIsAuditedWithAnEmptyDetail() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.AWAITING_REVIEW));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    given(workflow.review(any())).willReturn(new OrderReview(OrderReview.APPROVED, null, "operator", "2026-12-01T11:00:00Z"));
    mvc.perform(review("{\"decision\":\"APPROVE\"}").with(asOperator())).andExpect(status().isOk());
    then(audit).should().record("operator", "REVIEW_" + OrderReview.APPROVED, AuditLog.order(ORDER), "");
  }

  @Test
  void anOrderThatDoesNotWaitForAReviewIs409() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.COMPLETED));
    mvc.perform(review("{\"decision\":\"APPROVE\"}").with(asOperator())).andExpect(problem(409, "order-not-awaiting-review"));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  @Test
  void aSecondDecisionIs409WithTheWorkflowsReason() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    given(workflow.review(any())).willThrow(new WorkflowUpdateException(WorkflowExecution.getDefaultInstance(),
        "update-1", "review", ApplicationFailure.newFailure("Order was decided already: APPROVED", "NOT_AWAITING_REVIEW")));
    mvc.perform(review("{\"decision\":\"REJECT\"}").with(asOperator()))
        .andExpect(problem(409, "order-not-awaiting-review"))
        .andExpect(jsonPath("$.detail").value("Order was decided already: APPROVED"));
    then(audit).shouldHaveNoInteractions();
  }

  @Test
  void anUnknownOrderIs404() throws Exception {
    mvc.perform(review("{\"decision\":\"APPROVE\"}", "no-such-order").with(asOperator())).andExpect(problem(404, "not-found"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"decision\":\"MAYBE\"}|/decision",
      "{\"decision\":\"approve\"}|/decision",
      "{}|/decision",
      "{\"decision\":\"APPROVE\",\"note\":\"%s\"}|/note",
      "{\"decision\":\"APPROVE\",\"by\":\"someone else\"}|/by"})
  void anInvalidDecisionIs400NamingTheField(String bodyAndPointer) throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.AWAITING_REVIEW));
    String[] parts = bodyAndPointer.split("\\|");
    mvc.perform(review(parts[0].formatted("x".repeat(501))).with(asOperator())).andExpect(invalidFields(parts[1]));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  @Test
  void malformedJsonIs400AndAnotherContentTypeIs415() throws Exception {
    mvc.perform(review("{\"decision\":").with(asOperator())).andExpect(problem(400, "malformed-body"));
    mvc.perform(post("/orders/" + ORDER + "/review").with(asOperator()).contentType(MediaType.TEXT_PLAIN).content("APPROVE"))
        .andExpect(problem(415, "http-415"));
  }

  @Test
  void onlyOperatorsReviewNotEvenTheOrdersOwner() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.AWAITING_REVIEW));
    mvc.perform(review("{\"decision\":\"APPROVE\"}").with(asCustomer("user_1"))).andExpect(forbidden());
    mvc.perform(review("{\"decision\":\"APPROVE\"}").with(asCarrier())).andExpect(forbidden());
    mvc.perform(review("{\"decision\":\"APPROVE\"}")).andExpect(unauthorized());
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  private static MockHttpServletRequestBuilder review(String body) {
    return review(body, ORDER);
  }

  private static MockHttpServletRequestBuilder review(String body, String orderId) {
    return post("/orders/" + orderId + "/review").contentType(MediaType.APPLICATION_JSON).content(body);
  }
}
