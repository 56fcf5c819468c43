package com.example.orders.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * OpenAPI 3.1 has no {@code nullable}: a property that may be null must allow the type "null".
 * swagger-core keeps {@code @Schema(nullable = true)} in its model but does not write it for 3.1,
 * so generated clients and schemathesis would take {@code "failure": null} for a contract
 * violation. This rewrites every such property as "its type or null".
 */
@Component
class NullablePropertiesCustomizer implements OpenApiCustomizer {

  @Override
  public void customise(OpenAPI openApi) {
    Map<String, Schema> schemas = openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
    if (schemas == null) {
      return;
    }
    for (Schema<?> schema : schemas.values()) {
      Map<String, Schema> properties = schema.getProperties();
      if (properties == null) {
        continue;
      }
      properties.replaceAll((name, property) -> Boolean.TRUE.equals(property.getNullable()) ? orNull(property) : property);
    }
  }

  private static Schema<?> orNull(Schema<?> property) {
    property.setNullable(null);
    if (property.get$ref() != null) {
      // a reference cannot take siblings that change its type: "one of the referenced object, or null"
      Schema<?> either = new Schema<>().oneOf(List.of(new Schema<>().$ref(property.get$ref()), nullType()));
      either.setDescription(property.getDescription());
      return either;
    }
    Set<String> types = new LinkedHashSet<>();
    if (property.getTypes() != null) {
      types.addAll(property.getTypes());
    }
    if (property.getType() != null) {
      types.add(property.getType());
    }
    types.add("null");
    property.setTypes(types);
    return property;
  }

  private static Schema<?> nullType() {
    Schema<?> none = new Schema<>();
    none.setTypes(Set.of("null"));
    return none;
  }
}
