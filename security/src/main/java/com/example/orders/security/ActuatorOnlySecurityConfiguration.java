package com.example.orders.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * For the processes that serve only actuator endpoints (workers, relay): health to anyone (as the
 * api's), metrics (/actuator/prometheus) to operators, with the same bearer tokens the api accepts.
 */
@Configuration(proxyBeanMethods = false)
@Import(AccessTokens.class) // which tokens count, and SecurityProperties
public class ActuatorOnlySecurityConfiguration {

  @Bean
  SecurityFilterChain actuator(HttpSecurity http, SecurityProperties claims) throws Exception {
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
            .anyRequest().hasRole(Caller.Role.operator.name()))
        .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(CallerAuthentication.converter(claims))));
    return http.build();
  }
}
