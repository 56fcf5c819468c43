package com.example.orders.temporal.access;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * How a process secures its connection to Temporal and proves who it is: TLS, and at most one
 * credential, an API key or a token the issuer grants the process's own client. The api and the
 * workers (through {@link com.example.orders.temporal.TemporalConnection}), the bench and {@code ./run
 * replay} read the same variables here:
 * <ul>
 *   <li>{@value #TLS_CA}: PEM file of the CA that signed the frontend's certificate;
 *       {@value #TLS_CERT} and {@value #TLS_KEY}: the client's certificate and PKCS#8 key (mTLS);
 *       {@value #TLS_SERVER_NAME}: the name checked in the frontend's certificate instead of the
 *       target's host; {@value #TLS}: {@code true} for TLS with the system's trust store,
 *       {@code false} to send a credential in plaintext (a test rig, never across a network).
 *   <li>{@value #API_KEY}: sent as {@code Authorization: Bearer <key>} (Temporal Cloud's API keys).
 *   <li>{@value #CLIENT_ID} and {@value #CLIENT_SECRET}: a client-credentials token from {@value
 *       #TOKEN_URL} (default {@code ${ORDERS_AUTH_ISSUER}/oauth2/token}), sent as bearer and renewed
 *       before it expires ({@link ClientCredentialsToken}).
 * </ul>
 * TLS is on when a CA, a client certificate or a credential is set, or {@value #TLS} is true, unless
 * {@value #TLS} is false. With nothing set: plaintext and no credential, the dev server ./run starts.
 * Settings that contradict each other are refused when the access is built, naming the variables.
 */
public final class TemporalAccess {

  public static final String TLS = "ORDERS_TEMPORAL_TLS";
  public static final String TLS_CA = "ORDERS_TEMPORAL_TLS_CA";
  public static final String TLS_CERT = "ORDERS_TEMPORAL_TLS_CERT";
  public static final String TLS_KEY = "ORDERS_TEMPORAL_TLS_KEY";
  public static final String TLS_SERVER_NAME = "ORDERS_TEMPORAL_TLS_SERVER_NAME";
  public static final String API_KEY = "ORDERS_TEMPORAL_API_KEY";
  public static final String CLIENT_ID = "ORDERS_TEMPORAL_CLIENT_ID";
  public static final String CLIENT_SECRET = "ORDERS_TEMPORAL_CLIENT_SECRET";
  public static final String TOKEN_URL = "ORDERS_TEMPORAL_TOKEN_URL";
  /** The issuer the token URL defaults to, as for the api's resource server (orders-security.properties). */
  public static final String ISSUER = "ORDERS_AUTH_ISSUER";
  static final String DEFAULT_ISSUER = "http://localhost:9000";

  /** The files and the name TLS is set up with; no file means the system's trust store, no client certificate. */
  private record Tls(Path ca, Path cert, Path key, String serverName) {}

  /** Null for plaintext. */
  private final Tls tls;
  private final String apiKey;
  /** Null when the process sends no token from the issuer. */
  private final ClientCredentialsToken token;

  private TemporalAccess(Tls tls, String apiKey, ClientCredentialsToken token) {
    this.tls = tls;
    this.apiKey = apiKey;
    this.token = token;
  }

  /** None: plaintext and no credential, as for the dev server (tests, whatever the environment says). */
  public static TemporalAccess plaintext() {
    return new TemporalAccess(null, null, null);
  }

  /** From the process's environment variables (the tools outside Spring). */
  public static TemporalAccess fromEnvironment() {
    return from(System::getenv);
  }

  /**
   * From settings looked up by variable name; blank counts as unset.
   *
   * @throws IllegalArgumentException when settings contradict each other or a file is missing
   */
  public static TemporalAccess from(Function<String, String> settings) {
    Function<String, String> setting = name -> {
      String value = settings.apply(name);
      return value == null || value.isBlank() ? null : value.strip();
    };
    Boolean tlsSwitch = tlsSwitch(setting.apply(TLS));
    Path ca = readableFile(setting, TLS_CA);
    Path cert = readableFile(setting, TLS_CERT);
    Path key = readableFile(setting, TLS_KEY);
    String serverName = setting.apply(TLS_SERVER_NAME);
    String apiKey = setting.apply(API_KEY);
    String clientId = setting.apply(CLIENT_ID);
    String clientSecret = setting.apply(CLIENT_SECRET);

    List<String> problems = new ArrayList<>();
    if ((cert == null) != (key == null)) {
      problems.add(TLS_CERT + " and " + TLS_KEY + " go together: the client certificate and its key");
    }
    if ((clientId == null) != (clientSecret == null)) {
      problems.add(CLIENT_ID + " and " + CLIENT_SECRET + " go together: the client Temporal's token is issued to");
    }
    if (apiKey != null && clientId != null) {
      problems.add("set either " + API_KEY + " or " + CLIENT_ID + "/" + CLIENT_SECRET
          + ", not both: the process sends one credential");
    }
    boolean credential = apiKey != null || clientId != null;
    if (Boolean.FALSE.equals(tlsSwitch) && (ca != null || cert != null || serverName != null)) {
      problems.add(TLS + "=false contradicts " + TLS_CA + ", " + TLS_CERT + " and " + TLS_SERVER_NAME);
    }
    boolean tlsOn = tlsSwitch != null ? tlsSwitch : ca != null || cert != null || credential;
    if (serverName != null && !tlsOn) {
      problems.add(TLS_SERVER_NAME + " is the name checked in the server's certificate: it needs TLS ("
          + TLS_CA + " or " + TLS + "=true)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Temporal connection settings: " + String.join("; ", problems));
    }
    ClientCredentialsToken token = clientId == null ? null
        : new ClientCredentialsToken(tokenUrl(setting), clientId, clientSecret);
    return new TemporalAccess(tlsOn ? new Tls(ca, cert, key, serverName) : null, apiKey, token);
  }

  private static Boolean tlsSwitch(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(TLS + "=" + value + " is not true or false");
    };
  }

  private static Path readableFile(Function<String, String> setting, String name) {
    String value = setting.apply(name);
    if (value == null) {
      return null;
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(name + "=" + value + ": no readable file there");
    }
    return file;
  }

  private static URI tokenUrl(Function<String, String> setting) {
    String url = setting.apply(TOKEN_URL);
    if (url == null) {
      String issuer = setting.apply(ISSUER);
      url = (issuer == null ? DEFAULT_ISSUER : issuer.replaceAll("/+$", "")) + "/oauth2/token";
    }
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("not an absolute URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TOKEN_URL + " (or " + ISSUER + ") gives " + url + ": " + e.getMessage(), e);
    }
  }

  /** Everything: TLS and the credential. For stubs built by hand (the bench, ./run replay). */
  public WorkflowServiceStubsOptions.Builder configure(WorkflowServiceStubsOptions.Builder builder) {
    configureTlsAndToken(builder);
    if (apiKey != null) {
      String key = apiKey;
      builder.addApiKey(() -> key);
    }
    return builder;
  }

  /**
   * What Temporal's Spring Boot auto-configuration leaves to a customizer: it sends the API key
   * itself (spring.temporal.connection.api-key, mapped from {@value #API_KEY} in
   * config/orders-temporal.properties), but its TLS settings take no CA file.
   */
  public WorkflowServiceStubsOptions.Builder configureAlongsideAutoConfiguration(
      WorkflowServiceStubsOptions.Builder builder) {
    return configureTlsAndToken(builder);
  }

  private WorkflowServiceStubsOptions.Builder configureTlsAndToken(WorkflowServiceStubsOptions.Builder builder) {
    if (tls == null && apiKey == null && token == null) {
      return builder; // the dev server: the options stay exactly the SDK's
    }
    // Explicit either way: the auto-configuration sets false unless told otherwise, and the SDK turns
    // TLS on by itself for an API key only when nothing was set.
    builder.setEnableHttps(tls != null);
    if (tls != null) {
      if (tls.ca() != null || tls.cert() != null) {
        builder.setSslContext(sslContext(tls));
      }
      if (tls.serverName() != null) {
        String serverName = tls.serverName();
        builder.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    if (token != null) {
      builder.addApiKey(token);
    }
    return builder;
  }

  private static SslContext sslContext(Tls tls) {
    SslContextBuilder ssl = GrpcSslContexts.forClient();
    if (tls.ca() != null) {
      try {
        ssl.trustManager(tls.ca().toFile());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(TLS_CA + "=" + tls.ca() + " holds no PEM certificate: " + e.getMessage(), e);
      }
    }
    if (tls.cert() != null) {
      try {
        ssl.keyManager(tls.cert().toFile(), tls.key().toFile());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(TLS_CERT + "=" + tls.cert() + " and " + TLS_KEY + "=" + tls.key()
            + " are not a PEM certificate and its unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt converts"
            + " a key): " + e.getMessage(), e);
      }
    }
    try {
      return ssl.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS to Temporal from " + TLS_CA + ", " + TLS_CERT
          + " and " + TLS_KEY + ": " + e.getMessage(), e);
    }
  }

  /** Whether the connection is encrypted. */
  public boolean usesTls() {
    return tls != null;
  }

  /** One line for logs and tools: how the process connects, never a secret. */
  public String describe() {
    StringBuilder line = new StringBuilder();
    if (tls == null) {
      line.append("plaintext");
    } else {
      line.append("TLS (").append(tls.ca() == null ? "system trust store" : "CA " + tls.ca());
      if (tls.cert() != null) {
        line.append(", client certificate ").append(tls.cert());
      }
      if (tls.serverName() != null) {
        line.append(", server name ").append(tls.serverName());
      }
      line.append(')');
    }
    if (apiKey != null) {
      line.append(", API key");
    } else if (token != null) {
      line.append(", token of client ").append(token.clientId()).append(" from ").append(token.tokenUrl());
    } else {
      line.append(", no credential");
    }
    return line.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
