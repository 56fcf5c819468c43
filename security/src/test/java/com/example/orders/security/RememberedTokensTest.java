package com.example.orders.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

class RememberedTokensTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final AtomicInteger verifications = new AtomicInteger();
  private Instant verifierNow = NOW;

  /** Stands in for the signature check: "good-<seconds to live>" verifies while unexpired, anything else fails. */
  private final JwtDecoder verifier = token -> {
    verifications.incrementAndGet();
    if (!token.startsWith("good-")) {
      throw new BadJwtException("bad signature");
    }
    Instant expires = NOW.plusSeconds(Long.parseLong(token.substring(5)));
    if (!verifierNow.isBefore(expires.plusSeconds(60))) {
      throw new BadJwtException("expired");
    }
    return Jwt.withTokenValue(token).header("alg", "RS256").subject("user_1")
        .issuedAt(NOW.minusSeconds(1)).expiresAt(expires).build();
  };

  private final JwtTimestampValidator timeChecks = new JwtTimestampValidator(Duration.ofSeconds(60));
  private Instant cacheNow = NOW;
  private final RememberedTokens tokens = new RememberedTokens(verifier, timeChecks, new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return cacheNow;
    }
  });

  RememberedTokensTest() {
    timeChecks.setAllowEmptyExpiryClaim(false);
    timeChecks.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aVerifiedTokenIsVerifiedOnceAndThenRemembered() {
    Jwt first = tokens.decode("good-300");
    Jwt again = tokens.decode("good-300");
    assertThat(again).isSameAs(first);
    assertThat(verifications).hasValue(1);
  }

  @Test
  void aRememberedTokenIsVerifiedAgainAfterFiveMinutes() {
    tokens.decode("good-3600");
    cacheNow = NOW.plus(RememberedTokens.REVERIFY_AFTER).plusSeconds(1);
    tokens.decode("good-3600");
    assertThat(verifications).as("a withdrawn signing key would be noticed here").hasValue(2);
  }

  @Test
  void aRefusedTokenIsNeverRemembered() {
    assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aRememberedTokenIsRefusedOnceItExpires() {
    tokens.decode("good-300");

    Instant later = NOW.plus(Duration.ofMinutes(10)); // past expiry and the 60 s of skew
    timeChecks.setClock(Clock.fixed(later, ZoneOffset.UTC));
    verifierNow = later;
    cacheNow = later;

    assertThatThrownBy(() -> tokens.decode("good-300")).isInstanceOf(BadJwtException.class).hasMessage("expired");
    assertThat(verifications).as("checked again by the verifier, which refused it").hasValue(2);
  }
}
