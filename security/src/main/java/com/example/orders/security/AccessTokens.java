package com.example.orders.security;

import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Which access tokens the api and the workers accept, the same rules in both processes (each imports
 * this), from {@code spring.security.oauth2.resourceserver.jwt.*} (config/orders-security.properties).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class AccessTokens {

  /**
   * Signed RS256 by a key of the issuer's JWKS (fetched when first needed and cached), naming that
   * issuer and one of {@code audiences}, with a subject, an expiry and a not-before that hold now.
   * Spring Boot's default decoder would accept a token without {@code exp}. A token that passed is
   * remembered until it expires ({@link RememberedTokens}).
   */
  @Bean
  JwtDecoder accessTokenDecoder(
      @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwksUri,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
      @Value("${spring.security.oauth2.resourceserver.jwt.audiences}") List<String> audiences) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).jwsAlgorithm(SignatureAlgorithm.RS256).build();
    JwtTimestampValidator current = new JwtTimestampValidator();
    current.setAllowEmptyExpiryClaim(false);
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
        current,
        new JwtIssuerValidator(issuer),
        new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(audiences::contains)),
        new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank())));
    return new RememberedTokens(decoder, current, Clock.systemUTC());
  }
}
