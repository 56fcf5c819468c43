package com.example.orders.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the api reads a trusted issuer's access tokens (issuer, JWKS and audience themselves are
 * {@code spring.security.oauth2.resourceserver.jwt.*}). The defaults fit the issuer of ./run;
 * another provider may carry the customer id and the roles elsewhere, e.g. Keycloak's
 * {@code client_id} claim.
 *
 * @param customerIdClaim the claim holding a customer's id (default {@code sub})
 * @param rolesClaim the claim holding the roles, a list or a string; a dotted path reaches into
 *     nested claims ({@code realm_access.roles}) (default {@code roles})
 */
@ConfigurationProperties("orders.security")
public record SecurityProperties(String customerIdClaim, String rolesClaim) {
  public SecurityProperties {
    customerIdClaim = customerIdClaim == null || customerIdClaim.isBlank() ? "sub" : customerIdClaim;
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
  }
}
