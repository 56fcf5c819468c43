package com.example.orders.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The issuer the slice tests trust: an RSA key of their own, its JWKS served on a loopback port of
 * this JVM, and access tokens signed with it (RS256) that carry what the api requires: iss, aud,
 * sub, exp (and nbf, iat) and the roles claim. The api checks them with its real decoder
 * (AccessTokens: signature from the JWKS, issuer, audience, expiry, subject) and its real
 * claims-to-Caller conversion, so a test's request takes the token path a production request takes.
 */
public final class TestIssuer {

  public static final String ISSUER = "http://issuer.test";
  public static final String AUDIENCE = "orders-api";

  private static final RSAKey KEY = newKey("slice-tests");
  private static final String JWKS_URI = serveJwks(KEY);

  private TestIssuer() {}

  /** Where the api fetches the issuer's public keys (spring.security.oauth2.resourceserver.jwt.jwk-set-uri). */
  public static String jwksUri() {
    return JWKS_URI;
  }

  /** A customer's request: subject {@code customerId}, role customer. */
  public static RequestPostProcessor asCustomer(String customerId) {
    return bearer(sign(claims(customerId, "customer").build()));
  }

  public static RequestPostProcessor asOperator() {
    return bearer(sign(claims("operator", "operator").build()));
  }

  public static RequestPostProcessor asCarrier() {
    return bearer(sign(claims("carrier", "carrier").build()));
  }

  public static RequestPostProcessor bearer(String token) {
    return request -> {
      request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
      return request;
    };
  }

  /** The claims of a token the api accepts, valid for ten minutes; change one to make it unacceptable. */
  public static JWTClaimsSet.Builder claims(String subject, String... roles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now.minusSeconds(5)))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .claim("roles", List.of(roles));
  }

  /** Signed with the issuer's key. */
  public static String sign(JWTClaimsSet claims) {
    return sign(claims, KEY);
  }

  public static String sign(JWTClaimsSet claims, RSAKey key) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer's own key (public and private), for forging tokens the api must refuse. */
  public static RSAKey key() {
    return KEY;
  }

  /** Another key under the same key id: its signatures must not verify. */
  public static RSAKey strangerKey() {
    return newKey(KEY.getKeyID());
  }

  private static RSAKey newKey(String keyId) {
    try {
      return new RSAKeyGenerator(2048).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWKS (public key only) over HTTP on 127.0.0.1, as an issuer's /oauth2/jwks: the api's decoder fetches it. */
  private static String serveJwks(RSAKey key) {
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/oauth2/jwks", exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, jwks.length);
        try (var body = exchange.getResponseBody()) {
          body.write(jwks);
        }
      });
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/jwks";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
