package com.example.orders.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A decoder that remembers the tokens it has verified. A client sends the same token with every
 * request until it expires, and checking its RS256 signature again each time was 7 % of the api's
 * CPU under load (docs/performance.md). Only the exact token string that passed every check is
 * remembered, its time checks (expiry, not-before) are applied again on each use, and it is verified
 * again at least every {@link #REVERIFY_AFTER}, so a signing key withdrawn from the issuer's key set
 * stops being honoured within that time, as with the key set's own cache.
 */
final class RememberedTokens implements JwtDecoder {

  /** Bounds the memory (a decoded token takes a few KB); when full, it starts again empty. */
  static final int CAPACITY = 10_000;
  static final Duration REVERIFY_AFTER = Duration.ofMinutes(5);

  private record Verified(Jwt jwt, Instant until) {}

  private final JwtDecoder verifier;
  private final OAuth2TokenValidator<Jwt> timeChecks;
  private final Clock clock;
  private final ConcurrentMap<String, Verified> verified = new ConcurrentHashMap<>();

  RememberedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> timeChecks, Clock clock) {
    this.verifier = verifier;
    this.timeChecks = timeChecks;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Verified known = verified.get(token);
    if (known != null) {
      if (clock.instant().isBefore(known.until()) && !timeChecks.validate(known.jwt()).hasErrors()) {
        return known.jwt();
      }
      verified.remove(token); // expired or due again: the verifier below decides
    }
    Jwt jwt = verifier.decode(token);
    if (verified.size() >= CAPACITY) {
      verified.clear();
    }
    verified.put(token, new Verified(jwt, clock.instant().plus(REVERIFY_AFTER)));
    return jwt;
  }
}
