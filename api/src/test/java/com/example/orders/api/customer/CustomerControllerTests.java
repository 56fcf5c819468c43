package com.example.orders.api.customer;

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
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.payment.Customer;
import com.example.orders.domain.payment.PaymentService;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * GET /customers, GET and PUT /customers/{customerId} (docs/API.md, Catalog, customers, operations):
 * balances and points, and who may see or change them.
 */
@WebMvcTest(CustomerController.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
class CustomerControllerTests {

  private static final Customer USER_1 = new Customer("user_1", "User 1", new BigDecimal("1000.00"), 100);

  @Autowired
  private MockMvc mvc;

  @MockitoBean
  private PaymentService payments;

  @MockitoBean
  private AuditLog audit;

  @Test
  void aCustomerReadsItsOwnRecord() throws Exception {
    given(payments.findCustomer("user_1")).willReturn(Optional.of(USER_1));
    mvc.perform(get("/customers/user_1").with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.customerId").value("user_1"))
        .andExpect(jsonPath("$.name").value("User 1"))
        .andExpect(jsonPath("$.balance").value(1000.00))
        .andExpect(jsonPath("$.loyaltyPoints").value(100))
        .andExpect(jsonPath("$.changes").doesNotExist());
    then(audit).shouldHaveNoInteractions();
  }

  @Test
  void anotherCustomersRecordIs403() throws Exception {
    given(payments.findCustomer("user_1")).willReturn(Optional.of(USER_1));
    mvc.perform(get("/customers/user_1").with(asCustomer("user_2"))).andExpect(forbidden());
    then(payments).shouldHaveNoInteractions();
  }

  @Test
  void anOperatorReadsAnyRecordWithItsRecentChanges() throws Exception {
    given(payments.findCustomer("user_1")).willReturn(Optional.of(USER_1));
    given(audit.about(AuditLog.customer("user_1"), 10)).willReturn(List.of(
        new AuditLog.Entry(OffsetDateTime.parse("2026-12-01T10:00:00Z"), "operator", "CUSTOMER_CHANGED", "balance 1000.00")));
    mvc.perform(get("/customers/user_1").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.changes[0].principal").value("operator"));
  }

  @Test
  void anUnknownCustomerIs404() throws Exception {
    mvc.perform(get("/customers/nope").with(asOperator())).andExpect(problem(404, "not-found"));
  }

  @Test
  void onlyOperatorsListCustomers() throws Exception {
    given(payments.listCustomers()).willReturn(List.of(USER_1));
    mvc.perform(get("/customers").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.customers", hasSize(1)))
        .andExpect(jsonPath("$.customers[0].customerId").value("user_1"));
    mvc.perform(get("/customers").with(asCustomer("user_1"))).andExpect(forbidden());
    mvc.perform(get("/customers").with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/customers/user_1").with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/customers")).andExpect(unauthorized());
  }

  @Test
  void anOperatorCreatesACustomerWithNameAndBalance() throws Exception {
    given(payments.upsertCustomer("user_4", "User 4", new BigDecimal("500.00"), "operator"))
        .willReturn(new Customer("user_4", "User 4", new BigDecimal("500.00"), 0));
    mvc.perform(change("user_4", "{\"name\":\"User 4\",\"balance\":500.00}").with(asOperator()))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.customerId").value("user_4"))
        .andExpect(jsonPath("$.balance").value(500.00));
  }

  @Test
  void anOperatorChangesAnExistingCustomersBalance() throws Exception {
    given(payments.findCustomer("user_1")).willReturn(Optional.of(USER_1));
    given(payments.upsertCustomer("user_1", null, new BigDecimal("1.00"), "operator"))
        .willReturn(new Customer("user_1", "User 1", new BigDecimal("1.00"), 100));
    mvc.perform(change("user_1", "{\"balance\":1.00}").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.balance").value(1.00));
  }

  @Test
  void aNewCustomerWithoutNameAndBalanceIs400() throws Exception {
    mvc.perform(change("user_4", "{\"balance\":5.00}").with(asOperator())).andExpect(problem(400, "incomplete-customer"));
    then(payments).should(never()).upsertCustomer(anyString(), any(), any(), anyString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"balance\":-5}|/balance",
      "{\"balance\":1.001}|/balance",
      "{\"balance\":\"5\"}|/balance",
      "{\"name\":\"\"}|/name",
      "{\"name\":12}|/name",
      "{\"balance\":5,\"loyaltyPoints\":100}|/loyaltyPoints"})
  void invalidOrUnknownFieldsAre400NamingTheField(String bodyAndPointer) throws Exception {
    String[] parts = bodyAndPointer.split("\\|");
    given(payments.findCustomer("user_1")).willReturn(Optional.of(USER_1));
    mvc.perform(change("user_1", parts[0]).with(asOperator())).andExpect(invalidFields(parts[1]));
    then(payments).should(never()).upsertCustomer(anyString(), any(), any(), anyString());
  }

  @Test
  void aMalformedCustomerIdIs400() throws Exception {
    mvc.perform(change("user 4!", "{\"name\":\"User 4\",\"balance\":1}").with(asOperator()))
        .andExpect(problem(400, "invalid-request"));
    then(payments).shouldHaveNoInteractions();
  }

  @Test
  void malformedJsonIs400AndAnotherContentTypeIs415() throws Exception {
    mvc.perform(change("user_1", "{\"balance\":").with(asOperator())).andExpect(problem(400, "malformed-body"));
    mvc.perform(put("/customers/user_1").with(asOperator()).contentType(MediaType.TEXT_PLAIN).content("{\"balance\":1}"))
        .andExpect(problem(415, "http-415"));
    then(payments).shouldHaveNoInteractions();
  }

  @Test
  void onlyOperatorsChangeCustomersNotEvenTheCustomerItself() throws Exception {
    mvc.perform(change("user_1", "{\"balance\":1000000}").with(asCustomer("user_1"))).andExpect(forbidden());
    mvc.perform(change("user_1", "{\"balance\":1000000}").with(asCarrier())).andExpect(forbidden());
    mvc.perform(change("user_1", "{\"balance\":1000000}")).andExpect(unauthorized());
    then(payments).shouldHaveNoInteractions();
  }

  private static MockHttpServletRequestBuilder change(String customerId, String body) {
    return put("/customers/" + customerId).contentType(MediaType.APPLICATION_JSON).content(body);
  }
}
