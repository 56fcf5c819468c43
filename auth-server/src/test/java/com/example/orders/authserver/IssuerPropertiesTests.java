package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * What application.yml gives the issuer: the demo clients and users of docs/API.md, the Web UI's client,
 * and settings the environment can change.
 */
class IssuerPropertiesTests {

  /** application.yml under the given environment variables, and nothing of this machine's environment. */
  private static ConfigurableEnvironment environment(Map<String, Object> variables) throws IOException {
    ConfigurableEnvironment environment = new AbstractEnvironment() {};
    environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
    new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
        .forEach(environment.getPropertySources()::addLast);
    return environment;
  }

  private static IssuerProperties bind(ConfigurableEnvironment environment) {
    return Binder.get(environment).bind("orders.auth", IssuerProperties.class).get();
  }

  @Test
  void theDemoClientsAreEachIdWithItsSecretRoleAndEnginePermissions() throws IOException {
    IssuerProperties issuer = bind(environment(Map.of()));

    assertThat(issuer.clients()).containsExactly(
        new IssuerProperties.Client("user_1", "user_1-secret", "customer", List.of()),
        new IssuerProperties.Client("user_2", "user_2-secret", "customer", List.of()),
        new IssuerProperties.Client("user_3", "user_3-secret", "customer", List.of()),
        new IssuerProperties.Client("operator", "operator-secret", "operator", List.of("default:admin")),
        new IssuerProperties.Client("carrier", "carrier-secret", "carrier", List.of()),
        new IssuerProperties.Client("orders-api", "orders-api-secret", null, List.of("default:write")),
        new IssuerProperties.Client("orders-workers", "orders-workers-secret", null, List.of("default:worker")));
  }

  @Test
  void theEnginePermissionsAreForTheNamespaceTheServiceUses() throws IOException {
    IssuerProperties issuer = bind(environment(Map.of("ORDERS_TEMPORAL_NAMESPACE", "orders-prod")));

    assertThat(issuer.clients()).extracting(IssuerProperties.Client::permissions).containsExactly(
        List.of(), List.of(), List.of(), List.of("orders-prod:admin"), List.of(),
        List.of("orders-prod:write"), List.of("orders-prod:worker"));
  }

  @Test
  void theDemoUsersAreAnOperatorAndThreeCustomers() throws IOException {
    IssuerProperties issuer = bind(environment(Map.of("ORDERS_TEMPORAL_NAMESPACE", "orders-prod")));

    assertThat(issuer.users()).extracting(IssuerProperties.User::username, IssuerProperties.User::role,
            IssuerProperties.User::permissions)
        .containsExactly(
            tuple("operator_1", "operator", List.of("orders-prod:admin")),
            tuple("user_1", "customer", List.of()),
            tuple("user_2", "customer", List.of()),
            tuple("user_3", "customer", List.of()));
  }

  @Test
  void theDemoPasswordsAreKeptOnlyAsBcryptHashesThatMatchThem() throws IOException {
    PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    for (IssuerProperties.User user : bind(environment(Map.of())).users()) {
      String password = user.username() + "-password";
      assertThat(user.passwordHash()).as(user.username()).startsWith("{bcrypt}$2a$10$").doesNotContain(password);
      assertThat(passwords.matches(password, user.passwordHash())).as(user.username()).isTrue();
      assertThat(passwords.matches(password + " ", user.passwordHash())).as(user.username()).isFalse();
    }
    assertThat(new ClassPathResource("application.yml").getContentAsString(StandardCharsets.UTF_8))
        .doesNotContain("operator_1-password").doesNotContain("user_1-password");
  }

  @Test
  void aPasswordConfiguredAsItselfIsRefused() {
    for (String notAHash : new String[] {"operator_1-password", "{noop}operator_1-password", ""}) {
      // a list from one source replaces the whole list of application.yml
      assertThatThrownBy(() -> bind(environment(Map.of("orders.auth.users[0].username", "operator_1",
              "orders.auth.users[0].password-hash", notAHash, "orders.auth.users[0].role", "operator"))))
          .as(notAHash)
          .rootCause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("operator_1")
          .hasMessageContaining("{bcrypt}");
    }
  }

  @Test
  void theWebUiIsTheTemporalUiClientCalledBackOnTheUiServersPort() throws IOException {
    IssuerProperties.WebUi ui = bind(environment(Map.of())).webUi();

    assertThat(ui).isEqualTo(new IssuerProperties.WebUi("temporal-ui", "temporal-ui-secret",
        List.of("http://localhost:8233/auth/sso/callback"), "operator"));
  }

  @Test
  void theWebUisSecretAndCallbacksComeFromTheEnvironment() throws IOException {
    IssuerProperties.WebUi ui = bind(environment(Map.of(
        "ORDERS_AUTH_UI_CLIENT_SECRET", "a-long-random-secret",
        "ORDERS_AUTH_UI_REDIRECT_URIS", "https://temporal.example/auth/sso/callback,http://localhost:8233/auth/sso/callback")))
        .webUi();

    assertThat(ui.clientSecret()).isEqualTo("a-long-random-secret");
    assertThat(ui.redirectUris()).containsExactly(
        "https://temporal.example/auth/sso/callback", "http://localhost:8233/auth/sso/callback");
  }

  @Test
  void theDefaultsFitTheApiOfRun() throws IOException {
    ConfigurableEnvironment environment = environment(Map.of());
    IssuerProperties issuer = bind(environment);

    assertThat(issuer.issuer()).isEqualTo("http://localhost:9000");
    assertThat(issuer.audiences()).containsExactly("orders-api", "temporal");
    assertThat(issuer.tokenTimeToLive()).isEqualTo(Duration.ofHours(1));
    assertThat(issuer.signingKey()).isEqualTo(Path.of("data/auth/signing-key.json"));
    // the demo secrets are public: only this machine may ask for tokens
    assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
    assertThat(environment.getProperty("server.port")).isEqualTo("9000");
    assertThat(environment.getProperty("orders.auth.cors-allowed-origins")).isEqualTo("http://localhost:8080");
  }

  @Test
  void theEnvironmentChangesWhatADeploymentNeedsChanged() throws IOException {
    ConfigurableEnvironment environment = environment(Map.of(
        "ORDERS_AUTH_ISSUER", "https://issuer.example",
        "ORDERS_AUTH_TOKEN_TTL", "5m",
        "ORDERS_AUTH_SIGNING_KEY", "/var/lib/orders/signing-key.json",
        "ORDERS_AUTH_ADDRESS", "0.0.0.0",
        "ORDERS_AUTH_PORT", "9443",
        "ORDERS_AUTH_AUDIENCES", "orders-api,temporal,audit"));
    IssuerProperties issuer = bind(environment);

    assertThat(issuer.issuer()).isEqualTo("https://issuer.example");
    assertThat(issuer.tokenTimeToLive()).isEqualTo(Duration.ofMinutes(5));
    assertThat(issuer.signingKey()).isEqualTo(Path.of("/var/lib/orders/signing-key.json"));
    assertThat(issuer.audiences()).containsExactly("orders-api", "temporal", "audit");
    assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
    assertThat(environment.getProperty("server.port")).isEqualTo("9443");
  }
}
