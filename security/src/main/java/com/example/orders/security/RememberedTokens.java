package com.example.orders.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A decoder that remembers the tokens it has verified. A client sends the same token with every
 * request until it expires, and checking its RS256 signature again each time was 7 % of the api's
 * CPU under load (README, Performance). Only the exact token string that passed every check is
 * remembered, and its time checks (expiry, not-before) are applied again on each use.
 */
final class RememberedTokens implements JwtDecoder {

  /** Bounds the memory (a token is about 1 KB); when full, it starts again empty. */
  static final int CAPACITY = 10_000;

  private final JwtDecoder verifier;
  private final OAuth2TokenValidator<Jwt> timeChecks;
  private final ConcurrentMap<String, Jwt> verified = new ConcurrentHashMap<>();

  RememberedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> timeChecks) {
    this.verifier = verifier;
    this.timeChecks = timeChecks;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Jwt known = verified.get(token);
    if (known != null) {
      if (!timeChecks.validate(known).hasErrors()) {
        return known;
      }
      verified.remove(token); // expired: the verifier below refuses it with its usual error
    }
    Jwt jwt = verifier.decode(token);
    if (verified.size() >= CAPACITY) {
      verified.clear();
    }
    verified.put(token, jwt);
    return jwt;
  }
}
