package com.example.orders.authserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The issuer's RSA key: read from its file, or generated once and written there readable by the owner only. */
final class SigningKey {

  private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

  private SigningKey() {}

  static RSAKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      }
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      Files.createDirectories(file.toAbsolutePath().getParent());
      // created owner-only before the key is written into it, never readable by others in between
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      log.info("Generated a new signing key {} in {}; delete the file to rotate it (issued tokens then stop validating)",
          key.getKeyID(), file.toAbsolutePath());
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the signing key " + file.toAbsolutePath(), e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the signing key in " + file.toAbsolutePath()
          + " is not an RSA JWK: delete it to have a new one generated", e);
    }
  }
}
