package com.example.orders.api.customer;

import com.example.orders.api.order.Identifiers;
import com.example.orders.api.problem.ApiException;
import com.example.orders.security.Caller;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.payment.Customer;
import com.example.orders.domain.payment.PaymentService;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import com.example.orders.api.openapi.ErrorResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/customers")
@Tag(name = "customers")
@Validated
class CustomerController {

  private final PaymentService payments;
  private final AuditLog audit;

  CustomerController(PaymentService payments, AuditLog audit) {
    this.payments = payments;
    this.audit = audit;
  }

  record Customers(List<Customer> customers) {}

  /** A customer record; operators also see who changed it last ({@code changes}, newest first). */
  record CustomerView(String customerId, String name, BigDecimal balance, long loyaltyPoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<AuditLog.Entry> changes) {

    static CustomerView of(Customer c, List<AuditLog.Entry> changes) {
      return new CustomerView(c.customerId(), c.name(), c.balance(), c.loyaltyPoints(), changes);
    }
  }

  record CustomerChange(
      @Schema(nullable = true, description = "Absent or null: unchanged", example = "User 4")
      @Size(min = 1, max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE)
      String name,
      @Schema(nullable = true, description = "Absent or null: unchanged", example = "500.00")
      @DecimalMin("0.00") @DecimalMax("1000000000.00") @Digits(integer = 10, fraction = 2) BigDecimal balance) {}

  @Operation(operationId = "listCustomers", summary = "Every customer", description = "Roles: operators.")
  @ApiResponse(responseCode = "200", description = "Every customer, id ascending")
  @GetMapping
  Customers list() {
    return new Customers(payments.listCustomers());
  }

  /** A customer reads its own record only; an operator any, with its recent changes. */
  @Operation(operationId = "getCustomer", summary = "A customer's balance and loyalty points",
      description = "Roles: a customer its own record (another's is 403); an operator any, with its recent changes.")
  @ApiResponse(responseCode = "200", description = "The customer")
  @ErrorResponses({404})
  @GetMapping("/{customerId}")
  CustomerView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "user_1") @PathVariable String customerId) {
    if (!caller.actsFor(customerId)) {
      throw ApiException.forbidden("A customer reads its own record only");
    }
    Customer customer = payments.findCustomer(customerId)
        .orElseThrow(() -> ApiException.notFound("Customer " + customerId));
    return CustomerView.of(customer, caller.isOperator() ? audit.about(AuditLog.customer(customerId), 10) : null);
  }

  @Operation(operationId = "putCustomer", summary = "Create a customer or change its name or balance",
      description = "A new customer needs name and balance. Recorded with who did it. Roles: operators.")
  @ApiResponse(responseCode = "200", description = "Changed")
  @ApiResponse(responseCode = "201", description = "Created")
  @ErrorResponses({400, 413, 415})
  @PutMapping(path = "/{customerId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Customer> put(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "user_4") @PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String customerId,
      @Valid @RequestBody CustomerChange change) {
    boolean exists = payments.findCustomer(customerId).isPresent();
    if (!exists && (change.name() == null || change.balance() == null)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "incomplete-customer", "Incomplete customer",
          "A new customer needs name and balance");
    }
    Customer customer = payments.upsertCustomer(customerId, change.name(), change.balance(), caller.subject());
    return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).body(customer);
  }
}
