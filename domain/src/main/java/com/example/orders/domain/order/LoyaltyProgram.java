package com.example.orders.domain.order;

import com.example.orders.domain.payment.CustomerRepository;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loyalty points: one per whole currency unit of a completed order. A degradable side effect, so it
 * runs in a SAVEPOINT inside the confirmation transaction: if it fails, only it is rolled back.
 */
@Component
public class LoyaltyProgram {

  private final CustomerRepository customers;

  public LoyaltyProgram(CustomerRepository customers) {
    this.customers = customers;
  }

  public static long pointsFor(BigDecimal total) {
    return total.setScale(0, RoundingMode.DOWN).longValueExact();
  }

  /** Must be called inside a transaction; NESTED makes Spring wrap it in a savepoint. */
  @Transactional(propagation = Propagation.NESTED)
  public void award(String customerId, long points) {
    customers.addLoyaltyPoints(customerId, points);
  }

}
