package com.example.orders.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload the SDK sends to Temporal (workflow and activity inputs and results,
 * updates, signals, queries, memos, summaries, failure details) with AES-256-GCM: a random 96-bit nonce per payload,
 * the key id in the payload's metadata and bound to the ciphertext as associated data. The whole
 * original payload (its metadata too) is encrypted, so nothing of it is readable without the key.
 *
 * <p>Decoding leaves unencrypted payloads as they are: orders started before encryption was turned
 * on keep running. A payload under a key this process does not have fails loudly, naming the key id.
 */
public final class PayloadEncryptionCodec implements PayloadCodec {

  /** The metadata {@code encoding} of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";
  public static final String KEY_ID = "encryption-key-id";
  public static final String CIPHER_NAME = "encryption-cipher";
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final String CIPHER_LABEL = "AES-256-GCM";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PayloadKeyring keyring;
  private final boolean encrypt;

  /**
   * @param encrypt whether new payloads are encrypted (with the keyring's newest key); decoding
   *     works either way, so switching encryption off does not strand encrypted orders
   */
  public PayloadEncryptionCodec(PayloadKeyring keyring, boolean encrypt) {
    if (encrypt && keyring.isEmpty()) {
      throw new IllegalStateException("Payload encryption is on but no key is configured: set "
          + "ORDERS_ENCRYPTION_KEYS_FILE (a file of <key id>=<base64 key> lines, chmod 600) or "
          + "ORDERS_ENCRYPTION_KEYS, or turn encryption off with ORDERS_ENCRYPTION=false");
    }
    this.keyring = keyring;
    this.encrypt = encrypt;
  }

  /**
   * The data converter of every process and tool that talks to Temporal: the SDK's default JSON
   * conversion, then this codec. Failure details are payloads and so encrypted; failure messages and
   * stack traces are not, because the Web UI (2.42) shows encoded ones only as "Encoded failure" and
   * operators must see why an order failed. So no failure message may carry personal data: they name
   * the step, the reason, amounts and the country, never a name or street (EncryptionIT checks).
   */
  public DataConverter dataConverter() {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(this), false);
  }

  public static boolean isEncrypted(Payload payload) {
    return ENCODING.equals(payload.getMetadataOrDefault("encoding", ByteString.EMPTY).toStringUtf8());
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    if (!encrypt) {
      return payloads;
    }
    String keyId = keyring.newestKeyId().orElseThrow();
    SecretKey key = keyring.key(keyId).orElseThrow();
    return payloads.stream().map(p -> isEncrypted(p) ? p : encrypt(p, keyId, key)).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(p -> isEncrypted(p) ? decrypt(p) : p).toList();
  }

  private static Payload encrypt(Payload payload, String keyId, SecretKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(payload.toByteArray());
      return Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(keyId))
          .putMetadata(CIPHER_NAME, ByteString.copyFromUtf8(CIPHER_LABEL))
          .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("Cannot encrypt a payload with key " + keyId + ": " + e.getMessage(), e);
    }
  }

  private Payload decrypt(Payload payload) {
    String keyId = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    SecretKey key = keyring.key(keyId).orElseThrow(() -> new PayloadCodecException(
        "Payload encrypted with key id '" + keyId + "', which this process does not have (it has "
            + keyring.keyIds() + "). Add that key to ORDERS_ENCRYPTION_KEYS_FILE or ORDERS_ENCRYPTION_KEYS "
            + "and restart; the workflow waits and retries until then."));
    byte[] data = payload.getData().toByteArray();
    if (data.length <= NONCE_BYTES) {
      throw new PayloadCodecException("Encrypted payload under key " + keyId + " is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException("Payload under key " + keyId
          + " does not decrypt (altered, or a different key with the same id): " + e.getMessage(), e);
    }
  }
}
