package com.example.orders.api.codec;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import java.util.Base64;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The payload codec as the api builds it (PayloadEncryption), with one test key, {@value #KEY_ID}. */
@TestConfiguration(proxyBeanMethods = false)
class TestKeyring {

  static final String KEY_ID = "test-key";

  @Bean
  PayloadEncryptionCodec payloadEncryptionCodec() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    return new PayloadEncryptionCodec(PayloadKeyring.parse(KEY_ID + "=" + key, "test"), true);
  }
}
