package com.example.orders.api.customer;

import com.example.orders.api.order.Identifiers;
import com.example.orders.api.problem.ApiException;
import com.example.orders.payment.Customer;
import com.example.orders.payment.PaymentService;
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
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/customers")
@Validated
class CustomerController {

  private final PaymentService payments;

  CustomerController(PaymentService payments) {
    this.payments = payments;
  }

  record Customers(List<Customer> customers) {}

  record CustomerChange(
      @Size(min = 1, max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE)
      String name,
      @DecimalMin("0.00") @DecimalMax("1000000000.00") @Digits(integer = 10, fraction = 2) BigDecimal balance) {}

  @GetMapping
  Customers list() {
    return new Customers(payments.listCustomers());
  }

  @GetMapping("/{customerId}")
  Customer get(@PathVariable String customerId) {
    return payments.findCustomer(customerId).orElseThrow(() -> ApiException.notFound("Customer " + customerId));
  }

  @PutMapping(path = "/{customerId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Customer> put(
      @PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String customerId,
      @Valid @RequestBody CustomerChange change) {
    boolean exists = payments.findCustomer(customerId).isPresent();
    if (!exists && (change.name() == null || change.balance() == null)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "incomplete-customer", "Incomplete customer",
          "A new customer needs name and balance");
    }
    Customer customer = payments.upsertCustomer(customerId, change.name(), change.balance());
    return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).body(customer);
  }
}
