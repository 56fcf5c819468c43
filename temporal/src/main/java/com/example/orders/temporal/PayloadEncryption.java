package com.example.orders.temporal;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import io.temporal.common.converter.DataConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Customer data is encrypted before it reaches Temporal, in the api and in the workers alike:
 * Temporal's auto-configuration builds their client and workers with the {@code mainDataConverter}
 * bean. Keys and the switch: config/orders-temporal.properties.
 */
@Configuration(proxyBeanMethods = false)
public class PayloadEncryption {

  private static final Logger log = LoggerFactory.getLogger(PayloadEncryption.class);

  @Bean
  public PayloadEncryptionCodec payloadEncryptionCodec(
      @Value("${orders.encryption.enabled}") boolean enabled,
      @Value("${orders.encryption.keys-file:}") String keysFile,
      @Value("${orders.encryption.keys:}") String keys) {
    PayloadKeyring keyring = PayloadKeyring.configured(keysFile, keys);
    PayloadEncryptionCodec codec = new PayloadEncryptionCodec(keyring, enabled);
    if (enabled) {
      log.info("Payloads to Temporal are encrypted with key {}; keys that decrypt: {}",
          keyring.newestKeyId().orElseThrow(), keyring.keyIds());
    } else {
      log.warn("Payload encryption is OFF (ORDERS_ENCRYPTION=false): customer data reaches Temporal in "
          + "plaintext; keys that still decrypt: {}", keyring.keyIds());
    }
    return codec;
  }

  /** The name Temporal's auto-configuration prefers when it finds more than one converter. */
  @Bean
  public DataConverter mainDataConverter(PayloadEncryptionCodec codec) {
    return codec.dataConverter();
  }
}
