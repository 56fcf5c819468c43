package com.example.orders.api.order;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.domain.order.OrderRecord;
import com.example.orders.workflows.order.OrderStatus;
import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /orders?customerId=&status=&limit=&cursor= (docs/API.md, Orders): pages, filters, limits, and whose orders. */
class ListOrdersTests extends OrderControllerSlice {

  @Test
  void aCustomerListsItsOwnOrdersWhateverCustomerIdSays() throws Exception {
    given(orders.page(eq("user_2"), any(), any(), any(), anyInt()))
        .willReturn(List.of(order("o-2", "user_2", OrderStatus.COMPLETED)));
    mvc.perform(get("/orders").param("customerId", "user_1").with(asCustomer("user_2")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.orders", hasSize(1)))
        .andExpect(jsonPath("$.orders[0].customerId").value("user_2"));
    then(orders).should().page("user_2", null, null, null, 51);
  }

  @Test
  void anOperatorListsEveryonesOrdersOrFiltersThem() throws Exception {
    mvc.perform(get("/orders").with(asOperator())).andExpect(status().isOk());
    then(orders).should().page(null, null, null, null, 51);
    mvc.perform(get("/orders?customerId=user_1&status=FAILED&limit=10").with(asOperator())).andExpect(status().isOk());
    then(orders).should().page("user_1", OrderStatus.FAILED, null, null, 11);
  }

  @Test
  void aSummaryHasTheOrdersStatusTotalAndLinks() throws Exception {
    given(orders.page(isNull(), isNull(), isNull(), isNull(), anyInt()))
        .willReturn(List.of(order("o-1", "user_1", OrderStatus.COMPLETED)));
    String body = mvc.perform(get("/orders").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.orders[0].orderId").value("o-1"))
        .andExpect(jsonPath("$.orders[0].status").value("COMPLETED"))
        .andExpect(jsonPath("$.orders[0].currency").value("USD"))
        .andExpect(jsonPath("$.orders[0].createdAt").isNotEmpty())
        .andExpect(jsonPath("$.orders[0].links.self").value("/orders/o-1"))
        .andExpect(jsonPath("$.nextCursor").value((Object) null))
        .andReturn().getResponse().getContentAsString();
    assertThat(body).contains("\"total\":100.00");
  }

  @Test
  void aFullPageHasANextCursorThatFetchesTheRest() throws Exception {
    List<OrderRecord> rows = IntStream.range(0, 3).mapToObj(i -> order("o-" + i, "user_1", OrderStatus.COMPLETED)).toList();
    given(orders.page(isNull(), isNull(), isNull(), isNull(), eq(3))).willReturn(rows);
    String cursor = JsonPath.read(mvc.perform(get("/orders?limit=2").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.orders", hasSize(2)))
        .andExpect(jsonPath("$.nextCursor").isString())
        .andReturn().getResponse().getContentAsString(), "$.nextCursor");

    mvc.perform(get("/orders").param("limit", "2").param("cursor", cursor).with(asOperator())).andExpect(status().isOk());
    then(orders).should().page(null, null, CREATED, "o-1", 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "200"})
  void aLimitFrom1To200IsAccepted(String limit) throws Exception {
    mvc.perform(get("/orders").param("limit", limit).with(asOperator())).andExpect(status().isOk());
    then(orders).should().page(null, null, null, null, Integer.parseInt(limit) + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "201", "1000", "-1", "abc", "", "1.5"})
  void anyOtherLimitIs400(String limit) throws Exception {
    mvc.perform(get("/orders").param("limit", limit).with(asOperator())).andExpect(problem(400, "invalid-limit"));
    then(orders).shouldHaveNoInteractions();
  }

  @ParameterizedTest
  @ValueSource(strings = {"LOST", "completed", ""})
  void anUnknownStatusIs400(String status) throws Exception {
    mvc.perform(get("/orders").param("status", status).with(asOperator())).andExpect(problem(400, "invalid-status"));
    then(orders).shouldHaveNoInteractions();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%%%", "bm90LWEtY3Vyc29y"})
  void aCursorThisEndpointDidNotIssueIs400(String cursor) throws Exception {
    mvc.perform(get("/orders").param("cursor", cursor).with(asOperator())).andExpect(problem(400, "invalid-cursor"));
    then(orders).shouldHaveNoInteractions();
  }

  @Test
  void theCarrierAndTheAnonymousListNothing() throws Exception {
    mvc.perform(get("/orders").with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/orders")).andExpect(unauthorized());
    then(orders).shouldHaveNoInteractions();
  }
}
