package com.example.orders.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/** Client credentials only: no users, no login page, no refresh tokens. */
@Configuration(proxyBeanMethods = false)
class IssuerConfiguration {

  /** The claim that carries the principal's roles; the api reads the same name (orders.security.roles-claim). */
  static final String ROLES_CLAIM = "roles";

  /** The claim Temporal's default claim mapper reads: {@code <namespace>:<role>} entries (permissionsClaimName). */
  static final String PERMISSIONS_CLAIM = "permissions";

  @Bean
  SecurityFilterChain issuerEndpoints(HttpSecurity http) throws Exception {
    http.oauth2AuthorizationServer(server -> server.oidc(Customizer.withDefaults())) // discovery, as any provider
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .anyRequest().authenticated())
        // Swagger UI asks for tokens from the api's origin in the browser
        .cors(Customizer.withDefaults())
        .csrf(csrf -> csrf.disable()); // no browser session here: clients authenticate every request
    return http.build();
  }

  @Bean
  CorsConfigurationSource corsConfigurationSource(org.springframework.core.env.Environment environment) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(List.of(environment.getProperty("orders.auth.cors-allowed-origins", String[].class,
        new String[] {"http://localhost:8080"})));
    cors.setAllowedMethods(List.of("POST", "GET", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type"));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/oauth2/**", cors);
    return source;
  }

  @Bean
  RegisteredClientRepository registeredClients(IssuerProperties issuer) {
    TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(issuer.tokenTimeToLive()).build();
    List<RegisteredClient> clients = issuer.clients().stream()
        .map(client -> RegisteredClient.withId(UUID.nameUUIDFromBytes(client.id().getBytes()).toString())
            .clientId(client.id())
            .clientSecret("{noop}" + client.secret()) // demo secrets, published in docs/API.md
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenSettings(tokens)
            .build())
        .toList();
    return new InMemoryRegisteredClientRepository(clients);
  }

  /**
   * Every access token: subject = client id (a customer's id), {@code roles} = its role on the api if it
   * has one, {@code permissions} = its permissions on the engine if it has any, {@code aud} = the api and
   * the engine.
   */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> rolesPermissionsAndAudiences(IssuerProperties issuer) {
    return context -> {
      if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
        return;
      }
      String clientId = context.getRegisteredClient().getClientId();
      issuer.clients().stream().filter(c -> c.id().equals(clientId)).findFirst().ifPresent(client -> {
        context.getClaims().audience(issuer.audiences());
        if (client.role() != null) {
          context.getClaims().claim(ROLES_CLAIM, List.of(client.role()));
        }
        if (!client.permissions().isEmpty()) {
          context.getClaims().claim(PERMISSIONS_CLAIM, client.permissions());
        }
      });
    };
  }

  @Bean
  JWKSource<SecurityContext> signingKeys(IssuerProperties issuer) {
    return new ImmutableJWKSet<>(new JWKSet(SigningKey.loadOrCreate(issuer.signingKey())));
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(IssuerProperties issuer) {
    return AuthorizationServerSettings.builder().issuer(issuer.issuer()).build();
  }
}
