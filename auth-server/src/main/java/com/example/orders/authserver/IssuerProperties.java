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
 * @param users the people who sign in with a password in the browser (authorization code flow)
 * @param webUi the Temporal Web UI's client, the one client of the authorization code flow
 */
@ConfigurationProperties("orders.auth")
public record IssuerProperties(String issuer, List<String> audiences, Duration tokenTimeToLive, Path signingKey,
    List<Client> clients, List<User> users, WebUi webUi) {

  /** The only password encoding accepted in the configuration: a bcrypt hash, never the password itself. */
  static final String PASSWORD_HASH_PREFIX = "{bcrypt}";

  public IssuerProperties {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    clients = clients == null ? List.of() : List.copyOf(clients);
    users = users == null ? List.of() : List.copyOf(users);
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

  /**
   * A person who signs in with a password; their tokens' subject is the username.
   *
   * @param passwordHash {@code {bcrypt}} followed by the bcrypt hash of the password
   * @param role their role on the api, and what decides whether they may use the Web UI
   * @param permissions their permissions on Temporal's engine, as for a client
   */
  public record User(String username, String passwordHash, String role, List<String> permissions) {
    public User {
      permissions = permissions == null ? List.of() : List.copyOf(permissions);
      if (passwordHash == null || !passwordHash.startsWith(PASSWORD_HASH_PREFIX)) {
        throw new IllegalArgumentException("the password of user " + username + " must be configured as "
            + PASSWORD_HASH_PREFIX + " followed by its bcrypt hash, never as the password itself");
      }
    }
  }

  /**
   * Temporal's Web UI server as an OpenID Connect client: authorization code flow with its secret.
   *
   * @param redirectUris where codes may be sent, each compared exactly (its {@code /auth/sso/callback})
   * @param role the role a user needs to be given a code for it
   */
  public record WebUi(String clientId, String clientSecret, List<String> redirectUris, String role) {
    public WebUi {
      redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }
  }
}
