package com.example.orders.api.security;

import static com.example.orders.security.Caller.Role.carrier;
import static com.example.orders.security.Caller.Role.customer;
import static com.example.orders.security.Caller.Role.operator;

import com.example.orders.security.AccessTokens;
import com.example.orders.security.CallerAuthentication;
import com.example.orders.security.SecurityProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
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
  SecurityFilterChain api(HttpSecurity http, SecurityProperties claims, JsonMapper json) throws Exception {
    ProblemResponses problems = new ProblemResponses(json);
    http.csrf(csrf -> csrf.disable()) // bearer tokens, no cookies: nothing for a forged request to ride on
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
            // everything else (stock and price changes, customers, reset, metrics, codec): operators
            .anyRequest().hasRole(operator.name()))
        .oauth2ResourceServer(server -> server
            .jwt(jwt -> jwt.jwtAuthenticationConverter(CallerAuthentication.converter(claims)))
            .authenticationEntryPoint(problems)
            .accessDeniedHandler(problems))
        .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    return http.build();
  }
}
