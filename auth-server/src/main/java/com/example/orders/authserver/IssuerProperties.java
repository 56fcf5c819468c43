package com.example.orders.authserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the issuer signs and for whom (application.yml, {@code orders.auth}).
 *
 * @param issuer the {@code iss} of every token and the base of the discovery document
 * @param audience the {@code aud} of every token: the api accepts only tokens meant for it
 * @param tokenTimeToLive how long an access token is valid
 * @param signingKey the file that keeps the RSA signing key (JWK JSON, owner-only permissions);
 *     generated at first start, so tokens stay valid across restarts
 * @param clients the clients that may ask for tokens, each with its one role
 */
@ConfigurationProperties("orders.auth")
public record IssuerProperties(String issuer, String audience, Duration tokenTimeToLive, Path signingKey,
    List<Client> clients) {

  /** A client-credentials client; its token's subject is its id, its {@code roles} claim its role. */
  public record Client(String id, String secret, String role) {}
}
