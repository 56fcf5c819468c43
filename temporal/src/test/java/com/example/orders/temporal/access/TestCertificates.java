package com.example.orders.temporal.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for the TLS tests, made by openssl (as scripts/temporal-server.sh makes the
 * engine's) in a test's temporary directory: a CA, a frontend certificate valid for {@value
 * #SERVER_NAME} only (not for 127.0.0.1, so the server name override is what lets a client in), a
 * client certificate for mTLS, and a second CA that signed neither.
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey, Path otherCa) {

  static final String SERVER_NAME = "temporal.test";
  static final String CLIENT_NAME = "orders-workers";

  public static TestCertificates createIn(Path dir) throws IOException, InterruptedException {
    selfSignedCa(dir, "ca", "orders test CA");
    selfSignedCa(dir, "other-ca", "some other CA");
    signed(dir, "server", SERVER_NAME, "subjectAltName=DNS:" + SERVER_NAME + "\nextendedKeyUsage=serverAuth\n");
    signed(dir, "client", CLIENT_NAME, "extendedKeyUsage=clientAuth\n");
    return new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
        dir.resolve("client.pem"), dir.resolve("client.key"), dir.resolve("other-ca.pem"));
  }

  private static void selfSignedCa(Path dir, String name, String commonName) throws IOException, InterruptedException {
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-days", "1", "-subj", "/CN=" + commonName);
  }

  private static void signed(Path dir, String name, String commonName, String extensions)
      throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
    // -nodes: the key unencrypted, in PKCS#8 as openssl 3 writes it
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "1", "-extfile", name + ".ext", "-out", name + ".pem");
  }

  private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
