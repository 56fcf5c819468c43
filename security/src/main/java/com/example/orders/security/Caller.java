package com.example.orders.security;

import java.util.Set;
import org.springframework.security.access.AccessDeniedException;

/**
 * Who is calling, as the access token says: its subject, the customer it is (for a customer), and
 * its roles. The api's controllers receive it with {@code @AuthenticationPrincipal}.
 *
 * @param subject the token's subject: the principal that is recorded as having acted
 * @param customerId the customer this principal is, from the configured claim; null for others
 */
public record Caller(String subject, String customerId, Set<Role> roles) {

  public enum Role {
    customer, operator, carrier;

    /** The Spring Security authority of this role, as the URL rules name it. */
    public String authority() {
      return "ROLE_" + name();
    }
  }

  public boolean isOperator() {
    return roles.contains(Role.operator);
  }

  /** An operator acts for every customer; a customer only for itself. */
  public boolean actsFor(String customer) {
    return isOperator() || (roles.contains(Role.customer) && customerId != null && customerId.equals(customer));
  }

  /**
   * The customer whose data alone this caller may see, or null for an operator (everyone's). Fails
   * closed: anyone else without a customer id sees nothing rather than everything.
   */
  public String restrictedToCustomer() {
    if (isOperator()) {
      return null;
    }
    if (customerId == null) {
      throw new AccessDeniedException("The token names no customer");
    }
    return customerId;
  }
}
