package com.example.orders.security;

import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Which access tokens the api and the workers accept: the same rules in both processes. */
public final class AccessTokens {

  private AccessTokens() {}

  /**
   * Signed RS256 by a key of the issuer's JWKS (fetched when first needed and cached), naming that
   * issuer and one of {@code audiences}, with a subject, an expiry and a not-before that hold now.
   * Spring Boot's default decoder would accept a token without {@code exp}.
   */
  public static JwtDecoder decoder(String jwksUri, String issuer, List<String> audiences) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).jwsAlgorithm(SignatureAlgorithm.RS256).build();
    JwtTimestampValidator current = new JwtTimestampValidator();
    current.setAllowEmptyExpiryClaim(false);
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
        current,
        new JwtIssuerValidator(issuer),
        new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(audiences::contains)),
        new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank())));
    return decoder;
  }
}
