package com.example.orders.api.problem;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly, so that a client's mistake is a 400 naming the field and never
 * a silently different order: no unknown fields ({@code "unitPrice"}, {@code "status"}), no
 * fractions where a whole number is expected ({@code "quantity": 1.9}), no strings for numbers or
 * numbers, booleans or numbers for strings, nothing after the JSON value. (An optional field may be
 * null, which means the same as leaving it out; the OpenAPI document says so.)
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestBodies {

  @Bean
  JsonMapperBuilderCustomizer strictDeserialization() {
    return builder -> builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // a text field takes text: not false, 12 or 1.5 turned into "false", "12", "1.5"
        .withCoercionConfig(LogicalType.Textual, text -> text
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
  }
}
