package com.example.orders.temporal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that protect customer data in Temporal, by key id. The newest key (the last one
 * listed) encrypts new payloads; every key still decrypts what it encrypted, so rotating is: add a
 * key at the end, restart, and keep the old ones for as long as histories written with them exist.
 *
 * <p>Written as lines {@code <key id>=<32 bytes, base64>}; blank lines and {@code #} comments are
 * ignored. In a file, it must be readable by its owner only.
 */
public final class PayloadKeyring {

  private static final Set<PosixFilePermission> SHARED = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Map<String, SecretKey> keys;
  private final String newestKeyId;

  private PayloadKeyring(Map<String, SecretKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
    this.newestKeyId = keys.isEmpty() ? null : keys.keySet().stream().reduce((a, b) -> b).orElseThrow();
  }

  /** No keys: payloads stay as they are, and an encrypted one cannot be read. */
  public static PayloadKeyring empty() {
    return new PayloadKeyring(new LinkedHashMap<>());
  }

  /**
   * The keyring a process is configured with: {@code file} (a path, preferred) or {@code inline}
   * (for secrets injected as environment variables), at most one of them; neither gives no keys.
   */
  public static PayloadKeyring configured(String file, String inline) {
    boolean hasFile = file != null && !file.isBlank();
    boolean hasInline = inline != null && !inline.isBlank();
    if (hasFile && hasInline) {
      throw new IllegalStateException(
          "Payload keys are configured twice: set ORDERS_ENCRYPTION_KEYS_FILE or ORDERS_ENCRYPTION_KEYS, not both");
    }
    return hasFile ? fromFile(Path.of(file.strip())) : hasInline ? parse(inline, "ORDERS_ENCRYPTION_KEYS") : empty();
  }

  /** Keys from a file that only its owner may read (as {@code ./run} writes data/encryption/payload-keys). */
  public static PayloadKeyring fromFile(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(SHARED::contains)) {
        throw new IllegalStateException("The payload key file " + file + " is readable by others ("
            + PosixFilePermissions.toString(permissions)
            + "): restrict it to its owner with chmod 600 " + file);
      }
      return parse(Files.readString(file), file.toString());
    } catch (UnsupportedOperationException e) {
      throw new IllegalStateException("Cannot check who may read " + file
          + " (not a POSIX file system); pass the keys in ORDERS_ENCRYPTION_KEYS instead", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the payload key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Keys from text: lines (or comma-separated entries) {@code <key id>=<base64 key>}. */
  public static PayloadKeyring parse(String text, String source) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    int number = 0;
    for (String entry : entries(text)) {
      number++;
      String line = entry.strip();
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(source + ", entry " + number + ": expected <key id>=<base64 key>");
      }
      String keyId = line.substring(0, equals).strip();
      if (!keyId.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException(source + ", entry " + number
            + ": a key id is 1-64 letters, digits, dots, dashes or underscores");
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line.substring(equals + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ", key " + keyId + ": not base64");
      }
      if (key.length != 32) {
        throw new IllegalArgumentException(source + ", key " + keyId + ": " + key.length
            + " bytes, an AES-256 key is 32 (e.g. openssl rand -base64 32)");
      }
      if (keys.put(keyId, new SecretKeySpec(key, "AES")) != null) {
        throw new IllegalArgumentException(source + ": key id " + keyId + " is listed twice");
      }
    }
    return new PayloadKeyring(keys);
  }

  /** The entries of {@code text}: its lines, each split at commas, without blanks and {@code #} comment lines. */
  private static List<String> entries(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .flatMap(line -> Arrays.stream(line.split(","))).map(String::strip).filter(entry -> !entry.isEmpty())
        .toList();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key id new payloads are encrypted with: the last one listed. */
  public Optional<String> newestKeyId() {
    return Optional.ofNullable(newestKeyId);
  }

  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** The key ids, oldest first (never the keys). */
  public Set<String> keyIds() {
    return keys.keySet();
  }
}
