package com.example.orders.authserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the issuer signs and for whom (application.yml, {@code orders.auth}).
 *
 * @param issuer the {@code iss} of every token and the base of the discovery document
 * @param audiences the {@code aud} of every access token: the api accepts only tokens meant for
 *     {@code orders-api}, Temporal's frontend only those meant for {@code temporal}
 * @param tokenTimeToLive how long an access token is valid
 * @param signingKey the file that keeps the RSA signing key (JWK JSON, owner-only permissions);
 *     generated at first start, so tokens stay valid across restarts
 * @param clients the clients that may ask for tokens with their own credentials
 */
@ConfigurationProperties("orders.auth")
public record IssuerProperties(String issuer, List<String> audiences, Duration tokenTimeToLive, Path signingKey,
    List<Client> clients) {

  public IssuerProperties {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    clients = clients == null ? List.of() : List.copyOf(clients);
  }

  /**
   * A client-credentials client; its token's subject is its id.
   *
   * @param role its role on the api, the {@code roles} claim; none for a client that only uses the engine
   * @param permissions its permissions on Temporal's engine ({@code <namespace>:<role>}), the
   *     {@code permissions} claim; none for a client the engine must refuse
   */
  public record Client(String id, String secret, String role, List<String> permissions) {
    public Client {
      permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }
  }
}
