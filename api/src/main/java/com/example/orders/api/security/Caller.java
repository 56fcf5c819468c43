package com.example.orders.api.security;

import java.util.Set;

/**
 * Who is calling, as the access token says: its subject, the customer it is (for a customer), and
 * its roles. Controllers receive it with {@code @AuthenticationPrincipal}.
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

  /** The customer whose data alone this caller may see, or null for an operator (everyone's). */
  public String restrictedToCustomer() {
    return isOperator() ? null : customerId;
  }
}
