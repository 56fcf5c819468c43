package com.example.orders.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadEncryptionCodecTest {

  private static final String OLD = "2026-01=" + key(1);
  private static final String NEW = "2026-12=" + key(2);
  /** Shaped like the workflow's input: customer data beside the order's figures. */
  record Order(String orderId, String customerId, String name, String line1, BigDecimal total) {}

  private static final Order ORDER = new Order("o-1", "user_1", "Ada Lovelace", "1 Main St", new BigDecimal("100.00"));

  @Test
  void anOrderRoundTripsAndItsPayloadShowsNeitherNameNorStreet() {
    DataConverter converter = codec(OLD + "\n" + NEW, true).dataConverter();
    Payload payload = converter.toPayload(ORDER).orElseThrow();

    assertThat(PayloadEncryptionCodec.isEncrypted(payload)).isTrue();
    assertThat(payload.getMetadataOrThrow(PayloadEncryptionCodec.KEY_ID).toStringUtf8())
        .as("the newest key encrypts").isEqualTo("2026-12");
    assertThat(payload.toByteString().toStringUtf8()).doesNotContain("Ada").doesNotContain("Main St");
    assertThat(converter.fromPayload(payload, Order.class, Order.class)).isEqualTo(ORDER);
  }

  @Test
  void everyPayloadGetsItsOwnNonce() {
    PayloadEncryptionCodec codec = codec(NEW, true);
    Payload plain = plain("\"same\"");
    List<Payload> twice = codec.encode(List.of(plain, plain));
    assertThat(twice.get(0).getData()).isNotEqualTo(twice.get(1).getData());
    assertThat(codec.decode(twice)).containsExactly(plain, plain);
  }

  @Test
  void olderKeysStillDecryptAfterARotation() {
    Payload underOldKey = codec(OLD, true).encode(List.of(plain("\"before\""))).get(0);
    assertThat(codec(OLD + "," + NEW, true).decode(List.of(underOldKey))).containsExactly(plain("\"before\""));
  }

  @Test
  void plaintextFromBeforeEncryptionPassesThroughAndEncryptionOffWritesPlaintext() {
    Payload plain = plain("{\"orderId\":\"o-1\"}");
    assertThat(codec(NEW, true).decode(List.of(plain))).containsExactly(plain);
    assertThat(codec(NEW, false).encode(List.of(plain))).containsExactly(plain);
    assertThat(codec("", false).decode(List.of(plain))).containsExactly(plain);
  }

  @Test
  void aPayloadUnderAnUnknownKeyFailsNamingTheKeyId() {
    Payload underNewKey = codec(NEW, true).encode(List.of(plain("\"x\""))).get(0);
    assertThatThrownBy(() -> codec(OLD, true).decode(List.of(underNewKey)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id '2026-12'").hasMessageContaining("[2026-01]")
        .hasMessageContaining("ORDERS_ENCRYPTION_KEYS");
  }

  @Test
  void anAlteredPayloadOrAKeyIdSwappedForAnotherIsRefused() {
    Payload sealed = codec(OLD + "\n" + NEW, true).encode(List.of(plain("\"x\""))).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload altered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThatThrownBy(() -> codec(OLD + "\n" + NEW, true).decode(List.of(altered)))
        .isInstanceOf(PayloadCodecException.class).hasMessageContaining("does not decrypt");

    // same key bytes under another id: the id is bound to the ciphertext
    Payload relabelled = sealed.toBuilder()
        .putMetadata(PayloadEncryptionCodec.KEY_ID, ByteString.copyFromUtf8("other")).build();
    assertThatThrownBy(() -> codec("other=" + key(2), true).decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class).hasMessageContaining("does not decrypt");
  }

  @Test
  void encryptionWithoutAKeyRefusesToStart() {
    assertThatThrownBy(() -> codec("", true))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERS_ENCRYPTION_KEYS_FILE")
        .hasMessageContaining("ORDERS_ENCRYPTION=false");
  }

  @Test
  void badKeyringsAreRefusedWithTheEntryAndTheFix() {
    assertThatThrownBy(() -> PayloadKeyring.parse("k=" + java.util.Base64.getEncoder().encodeToString(new byte[16]), "test"))
        .hasMessageContaining("16 bytes, an AES-256 key is 32");
    assertThatThrownBy(() -> PayloadKeyring.parse("no key here", "test")).hasMessageContaining("entry 1");
    assertThatThrownBy(() -> PayloadKeyring.parse(OLD + "\n" + OLD, "test")).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> PayloadKeyring.parse("k=***", "test")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> PayloadKeyring.configured("/some/file", OLD)).hasMessageContaining("not both");
  }

  @Test
  void aKeyFileOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("payload-keys"), "# keys\n" + OLD + "\n" + NEW + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PayloadKeyring.fromFile(file)).hasMessageContaining("chmod 600");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    PayloadKeyring keyring = PayloadKeyring.fromFile(file);
    assertThat(keyring.keyIds()).containsExactly("2026-01", "2026-12");
    assertThat(keyring.newestKeyId()).contains("2026-12");
  }

  private static PayloadEncryptionCodec codec(String keys, boolean encrypt) {
    return new PayloadEncryptionCodec(PayloadKeyring.parse(keys, "test"), encrypt);
  }

  private static Payload plain(String json) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(json).orElseThrow().toBuilder()
        .setData(ByteString.copyFromUtf8(json)).build();
  }

  private static String key(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return java.util.Base64.getEncoder().encodeToString(key);
  }
}
