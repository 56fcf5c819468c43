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
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.domain.audit.AuditLog;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.MediaType;

/** POST /orders/{orderId}/cancel (docs/API.md, Orders): 202 before confirmation, 409 after, idempotent, and whose orders. */
class CancelOrderTests extends OrderControllerSlice {

  private static final String ORDER = "7d1c3b9e-0000-4000-8000-000000000001";

  @Test
  void theOwnerCancelsBeforeConfirmationWith202AndTheUndoRuns() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"changed my mind\"}"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/orders/" + ORDER))
        .andExpect(header().doesNotExist("Preference-Applied"))
        .andExpect(jsonPath("$.orderId").value(ORDER));
    then(workflow).should().cancel("changed my mind");
    then(untyped(workflow)).should().cancel("changed my mind");
    then(audit).should().record("user_1", "CANCEL_ACCEPTED", AuditLog.order(ORDER), "changed my mind");
  }

  @Test
  void aCancelWithoutABodyGivesTheDefaultReason() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.PENDING));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))).andExpect(status().isAccepted());
    then(workflow).should().cancel("Cancelled through the API");
  }

  @Test
  void preferWaitAnswers200WithTheCancelledOrder() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    givenWorkflow(ORDER);
    given(outcomes.awaitTerminal(ORDER, Duration.ofSeconds(10))).willReturn(true);
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1")).header("Prefer", "wait=10"))
        .andExpect(status().isOk())
        .andExpect(header().string("Preference-Applied", "wait=10"));
  }

  @Test
  void cancellingTwiceIsFine() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.CANCELLED));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("CANCELLED"));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"COMPLETED", "FAILED"})
  void aFinalOrderIs409(OrderStatus status) throws Exception {
    givenOrder(order(ORDER, "user_1", status));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1")))
        .andExpect(problem(409, "order-not-cancellable"));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  @Test
  void anOrderPastTheConfirmationIs409WithTheWorkflowsReason() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.SHIPPED));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    given(workflow.cancel(anyString())).willThrow(new WorkflowUpdateException(WorkflowExecution.getDefaultInstance(),
        "update-1", "cancel", ApplicationFailure.newFailure("Order is being confirmed", "NOT_CANCELLABLE")));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1")))
        .andExpect(problem(409, "order-not-cancellable"))
        .andExpect(jsonPath("$.detail").value("Order is being confirmed"));
    then(untyped(workflow)).shouldHaveNoInteractions();
    then(audit).should().record("user_1", "CANCEL_REFUSED", AuditLog.order(ORDER), "Order is being confirmed");
  }

  @Test
  void anOrderWhoseWorkflowEndedMeanwhileIs200IfCancelledAnd409Otherwise() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    OrderWorkflow workflow = givenWorkflow(ORDER);
    willThrow(new WorkflowNotFoundException(WorkflowExecution.getDefaultInstance(), "OrderWorkflow", null))
        .given(workflow).cancel(anyString());
    given(orders.find(ORDER)).willReturn(Optional.of(order(ORDER, "user_1", OrderStatus.RESERVED)))
        .willReturn(Optional.of(order(ORDER, "user_1", OrderStatus.COMPLETED)));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1")))
        .andExpect(problem(409, "order-not-cancellable"));

    given(orders.find(ORDER)).willReturn(Optional.of(order(ORDER, "user_1", OrderStatus.RESERVED)))
        .willReturn(Optional.of(order(ORDER, "user_1", OrderStatus.CANCELLED)));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))).andExpect(status().isOk());
  }

  @Test
  void anotherCustomersOrderIs404AsIsAnUnknownOne() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_2"))).andExpect(problem(404, "not-found"));
    mvc.perform(post("/orders/does-not-exist/cancel").with(asCustomer("user_2"))).andExpect(problem(404, "not-found"));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
    then(audit).shouldHaveNoInteractions();
  }

  @Test
  void anOperatorCancelsAnyOrderAndIsRecordedAsWhoAsked() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    givenWorkflow(ORDER);
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asOperator())
            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"fraud suspected\"}"))
        .andExpect(status().isAccepted());
    then(audit).should().record("operator", "CANCEL_ACCEPTED", AuditLog.order(ORDER), "fraud suspected");
  }

  @Test
  void theCarrierAndTheAnonymousCancelNothing() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCarrier())).andExpect(forbidden());
    mvc.perform(post("/orders/" + ORDER + "/cancel")).andExpect(unauthorized());
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
  }

  @Test
  void theBodyIsStrict() throws Exception {
    givenOrder(order(ORDER, "user_1", OrderStatus.RESERVED));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"changed my mind\",\"force\":true}"))
        .andExpect(invalidFields("/force"));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"" + "x".repeat(501) + "\"}"))
        .andExpect(invalidFields("/reason"));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":"))
        .andExpect(problem(400, "malformed-body"));
    mvc.perform(post("/orders/" + ORDER + "/cancel").with(asCustomer("user_1"))
            .contentType(MediaType.TEXT_PLAIN).content("changed my mind"))
        .andExpect(problem(415, "http-415"));
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), anyString());
    then(audit).should(never()).record(any(), any(), any(), any());
  }
}
