package com.example.orders.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Client credentials for the demo clients, and the authorization code flow (OpenID Connect) for the
 * Web UI's client, whose users sign in with a password on the login page. No refresh tokens.
 */
@Configuration(proxyBeanMethods = false)
class IssuerConfiguration {

  /** The claim that carries the principal's roles; the api reads the same name (orders.security.roles-claim). */
  static final String ROLES_CLAIM = "roles";

  /** The claim Temporal's default claim mapper reads: {@code <namespace>:<role>} entries (permissionsClaimName). */
  static final String PERMISSIONS_CLAIM = "permissions";

  /** The OAuth 2.0 and OpenID Connect endpoints: clients authenticate every request, no CSRF token. */
  @Bean
  @Order(1)
  SecurityFilterChain issuerEndpoints(HttpSecurity http, IssuerProperties issuer) throws Exception {
    OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
    Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> codeRequestChecks =
        new OAuth2AuthorizationCodeRequestAuthenticationValidator().andThen(WebUiSignIn.onlyItsRole(issuer.webUi()));
    http.securityMatcher(server.getEndpointsMatcher())
        .with(server, endpoints -> endpoints
            .oidc(Customizer.withDefaults()) // discovery, ID tokens and userinfo, as any provider
            .authorizationEndpoint(authorize -> authorize.authenticationProviders(providers -> providers.stream()
                .filter(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::isInstance)
                .map(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::cast)
                .forEach(provider -> provider.setAuthenticationValidator(codeRequestChecks)))))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        // the session's user known and the security headers on, before the endpoints' own filters
        .addFilterAfter(WebUiSignIn.refusalPage(issuer.webUi()), LogoutFilter.class)
        .oauth2ResourceServer(userinfo -> userinfo.jwt(Customizer.withDefaults())) // /userinfo takes the access token
        .exceptionHandling(IssuerConfiguration::browsersSignInOthersGet401)
        // Swagger UI asks for tokens from the api's origin in the browser
        .cors(Customizer.withDefaults());
    return http.build();
  }

  /**
   * The login page (form login, with a CSRF token) and health; nothing else is served. The error page
   * is open so that a refusal keeps its status (a form without its CSRF token: 403, not 401).
   */
  @Bean
  @Order(2)
  SecurityFilterChain signIn(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
            .anyRequest().authenticated())
        .formLogin(Customizer.withDefaults())
        .exceptionHandling(IssuerConfiguration::browsersSignInOthersGet401);
    return http.build();
  }

  /** A page in a browser goes to the login page; a program (no text/html in its Accept) gets a 401. */
  private static void browsersSignInOthersGet401(ExceptionHandlingConfigurer<HttpSecurity> exceptions) {
    MediaTypeRequestMatcher browser = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
    browser.setIgnoredMediaTypes(Set.of(MediaType.ALL));
    exceptions.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browser)
        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), AnyRequestMatcher.INSTANCE);
  }

  @Bean
  CorsConfigurationSource corsConfigurationSource(Environment environment) {
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
    Stream<RegisteredClient> clientCredentials = issuer.clients().stream()
        .map(client -> withSecret(client.id(), client.secret())
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenSettings(tokens)
            .build());
    return new InMemoryRegisteredClientRepository(
        Stream.concat(clientCredentials, Stream.of(WebUiSignIn.client(issuer.webUi(), tokens))).toList());
  }

  /** A client that authenticates with its secret, in the Authorization header or the form. */
  static RegisteredClient.Builder withSecret(String clientId, String secret) {
    return RegisteredClient.withId(UUID.nameUUIDFromBytes(clientId.getBytes()).toString())
        .clientId(clientId)
        .clientSecret("{noop}" + secret) // demo secrets, published in docs/API.md, or set in the environment
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
  }

  @Bean
  UserDetailsService users(IssuerProperties issuer) {
    return WebUiSignIn.users(issuer);
  }

  /**
   * Every access token: subject = the client's id (a customer's id) or the signed-in user's name,
   * {@code roles} = its role on the api if it has one, {@code permissions} = its permissions on the
   * engine if it has any, {@code aud} = the api and the engine. An ID token also names its user.
   */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> rolesPermissionsAndAudiences(IssuerProperties issuer) {
    return context -> {
      if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
        if (context.getAuthorizedScopes().contains(OidcScopes.PROFILE)) {
          String username = context.getPrincipal().getName();
          context.getClaims().claim(StandardClaimNames.NAME, username)
              .claim(StandardClaimNames.PREFERRED_USERNAME, username);
        }
        return;
      }
      if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
        return;
      }
      if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
        String username = context.getPrincipal().getName();
        issuer.users().stream().filter(u -> u.username().equals(username)).findFirst().ifPresent(user ->
            grant(context.getClaims(), issuer.audiences(), Optional.of(user.role()), user.permissions()));
      } else {
        String clientId = context.getRegisteredClient().getClientId();
        issuer.clients().stream().filter(c -> c.id().equals(clientId)).findFirst().ifPresent(client ->
            grant(context.getClaims(), issuer.audiences(), Optional.ofNullable(client.role()), client.permissions()));
      }
    };
  }

  private static void grant(JwtClaimsSet.Builder claims, List<String> audiences, Optional<String> role,
      List<String> permissions) {
    claims.audience(audiences);
    role.ifPresent(r -> claims.claim(ROLES_CLAIM, List.of(r)));
    if (!permissions.isEmpty()) {
      claims.claim(PERMISSIONS_CLAIM, permissions);
    }
  }

  @Bean
  JWKSource<SecurityContext> signingKeys(IssuerProperties issuer) {
    return new ImmutableJWKSet<>(new JWKSet(SigningKey.loadOrCreate(issuer.signingKey())));
  }

  /** Verifies the access tokens /userinfo is called with: ours, by the published key. */
  @Bean
  JwtDecoder accessTokens(JWKSource<SecurityContext> signingKeys) {
    return NimbusJwtDecoder.withJwkSource(signingKeys).build();
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(IssuerProperties issuer) {
    return AuthorizationServerSettings.builder().issuer(issuer.issuer()).build();
  }
}
