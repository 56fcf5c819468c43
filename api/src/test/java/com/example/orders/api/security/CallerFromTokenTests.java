package com.example.orders.api.security;

import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.bearer;
import static com.example.orders.api.security.TestIssuer.claims;
import static com.example.orders.api.security.TestIssuer.sign;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.security.Caller;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the controllers are told is calling ({@code @AuthenticationPrincipal Caller}), read from the
 * token by the security module (CallerAuthentication, SecurityProperties): its subject, the customer
 * it is, and its roles, from the claims the issuer of ./run uses, or from those another provider uses.
 */
@WebMvcTest(CallerFromTokenTests.Echo.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import(CallerFromTokenTests.Echo.class)
class CallerFromTokenTests {

  @Autowired
  private MockMvc mvc;

  /** Stands in for the order endpoints (their URL rule lets customers and operators in) and shows the Caller. */
  @RestController
  static class Echo {
    @GetMapping("/orders/{orderId}")
    Caller caller(@AuthenticationPrincipal Caller caller) {
      return caller;
    }
  }

  @Test
  void aCustomerIsTheCustomerItsSubjectNames() throws Exception {
    mvc.perform(get("/orders/any").with(bearer(sign(claims("user_1", "customer").build()))))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.subject").value("user_1"))
        .andExpect(jsonPath("$.customerId").value("user_1"))
        .andExpect(jsonPath("$.roles").value(containsInAnyOrder("customer")));
  }

  @Test
  void anOperatorIsNoCustomer() throws Exception {
    mvc.perform(get("/orders/any").with(bearer(sign(claims("operator", "operator").build()))))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.subject").value("operator"))
        .andExpect(jsonPath("$.customerId").value((Object) null))
        .andExpect(jsonPath("$.roles").value(containsInAnyOrder("operator")));
  }

  @Test
  void rolesMayBeOneStringAndUnknownOnesAreIgnored() throws Exception {
    String token = sign(claims("user_1").claim("roles", "customer,admin customer").build());
    mvc.perform(get("/orders/any").with(bearer(token)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.roles").value(containsInAnyOrder("customer")));
  }

  /** A provider such as Keycloak: the customer in client_id, the roles in realm_access.roles. */
  @Nested
  @TestPropertySource(properties = {
      "orders.security.customer-id-claim=client_id", "orders.security.roles-claim=realm_access.roles"})
  class WithAnotherProvidersClaims {

    @Test
    void theCustomerAndRolesComeFromTheConfiguredClaims() throws Exception {
      mvc.perform(get("/orders/any").with(bearer(sign(claims("service-account-user_1").claim("client_id", "user_1")
              .claim("realm_access", Map.of("roles", List.of("customer"))).build()))))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.subject").value("service-account-user_1"))
          .andExpect(jsonPath("$.customerId").value("user_1"))
          .andExpect(jsonPath("$.roles").value(containsInAnyOrder("customer")));
    }

    @Test
    void aCustomerWhoCannotBeToldApartFromOtherCustomersGetsNothing() throws Exception {
      mvc.perform(get("/orders/any").with(bearer(sign(claims("service-account-user_1")
              .claim("realm_access", Map.of("roles", List.of("customer"))).build()))))
          .andExpect(unauthorized());
    }
  }
}
