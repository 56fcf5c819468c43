package com.example.orders.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** A validated access token turned into a {@link Caller}; the token's roles become its authorities. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

  private final Caller caller;
  private final Jwt token;

  private CallerAuthentication(Caller caller, Jwt token) {
    super(caller.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
    this.caller = caller;
    this.token = token;
    setAuthenticated(true);
  }

  @Override
  public Caller getPrincipal() {
    return caller;
  }

  @Override
  public Jwt getCredentials() {
    return token;
  }

  @Override
  public String getName() {
    return caller.subject();
  }

  /** Reads subject, customer id and roles from a token already checked for signature, issuer, audience and time. */
  public static Converter<Jwt, CallerAuthentication> converter(SecurityProperties claims) {
    return jwt -> {
      Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
      for (String name : roleNames(claim(jwt.getClaims(), claims.rolesClaim()))) {
        for (Caller.Role role : Caller.Role.values()) {
          if (role.name().equals(name)) {
            roles.add(role);
          }
        }
      }
      Object customerId = claim(jwt.getClaims(), claims.customerIdClaim());
      boolean customer = roles.contains(Caller.Role.customer);
      if (customer && (customerId == null || customerId.toString().isBlank())) {
        // fail closed: a customer who cannot be told apart from other customers gets nothing
        throw new InvalidBearerTokenException("a customer token without the claim " + claims.customerIdClaim());
      }
      return new CallerAuthentication(
          new Caller(jwt.getSubject(), customer ? customerId.toString() : null, Set.copyOf(roles)), jwt);
    };
  }

  private static Object claim(Map<String, Object> claims, String dottedPath) {
    Object value = claims;
    for (String part : dottedPath.split("\\.")) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(part);
    }
    return value;
  }

  private static Collection<String> roleNames(Object value) {
    if (value instanceof Collection<?> many) {
      return many.stream().map(String::valueOf).toList();
    }
    return value == null ? Set.of()
        : Arrays.stream(value.toString().split("[ ,]+")).filter(name -> !name.isEmpty()).collect(Collectors.toSet());
  }
}
