package com.example.orders.authserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The token issuer of {@code ./run} (:9000): OAuth 2.0 client credentials for the demo clients of
 * docs/API.md, and OpenID Connect sign-in with a password for Temporal's Web UI. The api and the
 * engine trust it exactly as it would any OpenID Connect provider: by issuer, audience
 * and the keys published at /oauth2/jwks.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthServerApplication {
  public static void main(String[] args) {
    SpringApplication.run(AuthServerApplication.class, args);
  }
}
