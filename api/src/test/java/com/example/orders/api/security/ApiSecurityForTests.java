package com.example.orders.api.security;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The api's real security configuration (package-private) for the slices: the URL rules by role,
 * the bearer-token resolver with the codec cookie, the 401/403 problems and AccessTokens' decoder.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
public class ApiSecurityForTests {}
