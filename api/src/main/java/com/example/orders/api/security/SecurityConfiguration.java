package com.example.orders.api.security;

import static com.example.orders.security.Caller.Role.carrier;
import static com.example.orders.security.Caller.Role.customer;
import static com.example.orders.security.Caller.Role.operator;

import com.example.orders.security.AccessTokens;
import com.example.orders.security.CallerAuthentication;
import com.example.orders.security.SecurityProperties;
import com.example.orders.api.codec.CodecSessionController;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import java.net.URI;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api as an OAuth 2.0 resource server: every request but health, the OpenAPI document and
 * Swagger UI carries a bearer JWT whose signature (the issuer's JWKS), issuer, audience and expiry
 * are checked ({@code spring.security.oauth2.resourceserver.jwt.*}). These rules decide by role;
 * whose order or record it is, the controllers decide (docs/API.md, Who may call what).
 */
@Configuration(proxyBeanMethods = false)
@Import(AccessTokens.class) // which tokens count, and SecurityProperties
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, SecurityProperties claims, JsonMapper json,
      @Value("${orders.temporal.ui-url}") String webUiUrl) throws Exception {
    ProblemResponses problems = new ProblemResponses(json);
    // Bearer tokens, and the one cookie below only on the codec endpoints, which change nothing: there is
    // nothing for a forged request to ride on.
    http.csrf(csrf -> csrf.disable())
        .addFilter(codecCors(webUiUrl, json))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests
            // the problem body of a request refused before any controller (rejected URL, ...)
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
            .requestMatchers("/orders", "/orders/*", "/orders/*/cancel").hasAnyRole(customer.name(), operator.name())
            .requestMatchers(HttpMethod.GET, "/inventory", "/inventory/*", "/customers/*")
                .hasAnyRole(customer.name(), operator.name())
            .requestMatchers(HttpMethod.POST, "/shipments/*/events").hasAnyRole(carrier.name(), operator.name())
            // the page that sets the codec cookie, and forgetting it
            .requestMatchers(HttpMethod.GET, "/codec/session").permitAll()
            .requestMatchers(HttpMethod.DELETE, "/codec/session").permitAll()
            // everything else (stock and price changes, customers, reset, metrics, codec): operators
            .anyRequest().hasRole(operator.name()))
        .oauth2ResourceServer(server -> server
            .bearerTokenResolver(codecCookieOrHeader())
            .jwt(jwt -> jwt.jwtAuthenticationConverter(CallerAuthentication.converter(claims)))
            .authenticationEntryPoint(problems)
            .accessDeniedHandler(problems))
        .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    return http.build();
  }

  /** Temporal's remote codec protocol: the only paths that read the codec cookie, and that allow CORS. */
  private static final List<String> CODEC_PATHS = List.of("/codec/decode", "/codec/encode");

  /**
   * The Authorization header everywhere; on the codec's encode and decode only, failing that, the
   * operator's token from the cookie POST /codec/session set (the Web UI calls them from the browser).
   */
  private static BearerTokenResolver codecCookieOrHeader() {
    DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
    return request -> {
      String token = header.resolve(request);
      if (token != null || !CODEC_PATHS.contains(request.getRequestURI())
          || request.getCookies() == null) {
        return token;
      }
      for (Cookie cookie : request.getCookies()) {
        if (CodecSessionController.COOKIE.equals(cookie.getName()) && !cookie.getValue().isBlank()) {
          return cookie.getValue();
        }
      }
      return null;
    };
  }

  /** The Temporal Web UI's origin may call the codec from the browser, with its cookie; nobody else may. */
  private static CorsFilter codecCors(String webUiUrl, JsonMapper json) {
    URI ui = URI.create(webUiUrl);
    CorsConfiguration codec = new CorsConfiguration();
    codec.addAllowedOrigin(ui.getScheme() + "://" + ui.getAuthority());
    codec.setAllowedMethods(List.of("POST"));
    codec.setAllowedHeaders(List.of("Content-Type", "Authorization", "X-Namespace"));
    codec.setAllowCredentials(true);
    codec.setMaxAge(3600L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    CODEC_PATHS.forEach(path -> source.registerCorsConfiguration(path, codec));
    CorsFilter filter = new CorsFilter(source);
    filter.setCorsProcessor(new ProblemCorsProcessor(json)); // a refused origin gets a problem body
    return filter;
  }
}
