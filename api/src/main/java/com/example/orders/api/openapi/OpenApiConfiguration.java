package com.example.orders.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's title, description and security scheme: OAuth 2.0 client credentials at
 * the token endpoint of the trusted issuer, so Swagger UI's Authorize button gets a token (client id
 * and secret of docs/API.md) and every try-out carries it.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static final String SCHEME = "oauth2";

  /** The tags operations are grouped by, one per domain, in this order. */
  static final String ORDERS = "orders";
  static final String CATALOG = "catalog";
  static final String CUSTOMERS = "customers";
  static final String OPERATIONS = "operations";

  @Bean
  OpenAPI orderFulfillmentApi(@Value("${orders.auth.token-url}") String tokenUrl,
      ObjectProvider<BuildProperties> build) {
    BuildProperties properties = build.getIfAvailable();
    return new OpenAPI()
        .info(new Info()
            .title("Order fulfillment API")
            .version(properties == null ? "development" : properties.getVersion())
            .description("""
                Orders placed here are fulfilled by a Temporal saga: reserve stock, charge, book a \
                shipment, confirm; undone in reverse when a step fails or the order is cancelled. \
                Every request but this document needs a bearer token: POST the client id and secret \
                (HTTP Basic) with grant_type=client_credentials to the token URL. Customers act on \
                their own orders, operators on everything, the carrier reports shipment events."""))
        .tags(List.of(
            new Tag().name(ORDERS).description("Place, follow and cancel orders; each one is a durable saga "
                + "(reserve stock, charge, book a shipment, confirm) that completes or is undone"),
            new Tag().name(CATALOG).description("Products, prices and stock (available, reserved, sold)"),
            new Tag().name(CUSTOMERS).description("Customers, their balances and loyalty points"),
            new Tag().name(OPERATIONS).description("Running the shop: demo data, and the codec that shows encrypted customer data in the Temporal Web UI and CLI")))
        .components(new Components()
            .addSchemas("Problem", problemSchema())
            .addSchemas("FieldError", new ObjectSchema()
                .description("One field problem: where, as a JSON Pointer into the request, and what")
                .addProperty("pointer", new StringSchema().example("/items/0/quantity"))
                .addProperty("detail", new StringSchema().example("must be a whole number")))
            .addSecuritySchemes(SCHEME, new SecurityScheme()
            .type(SecurityScheme.Type.OAUTH2)
            .description("OAuth 2.0 client credentials; the demo clients are user_1, user_2, user_3, operator "
                + "and carrier, each with the secret <id>-secret")
            .flows(new OAuthFlows().clientCredentials(new OAuthFlow().tokenUrl(tokenUrl).scopes(new Scopes())))))
        .addSecurityItem(new SecurityRequirement().addList(SCHEME));
  }

  /** RFC 9457 problem details, as every error of this api is answered. */
  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("RFC 9457 problem details (application/problem+json); no stack traces, no SQL")
        .addProperty("type", new StringSchema().description("What kind of problem: /problems/<kind>").example("/problems/not-found"))
        .addProperty("title", new StringSchema().description("A short, fixed summary of the kind").example("Not found"))
        .addProperty("status", new IntegerSchema().description("The HTTP status").example(404))
        .addProperty("detail", new StringSchema().description("What happened here, and what to do next"))
        .addProperty("instance", new StringSchema().description("The request path"))
        .addProperty("errors", new ArraySchema().description("For field problems: each field and what is wrong with it")
            .items(new Schema<>().$ref("#/components/schemas/FieldError")))
        .required(List.of("type", "title", "status"));
  }
}
