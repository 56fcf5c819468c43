package com.example.orders.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
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

  @Bean
  OpenAPI orderFulfillmentApi(@Value("${orders.auth.token-url}") String tokenUrl) {
    return new OpenAPI()
        .info(new Info()
            .title("Order fulfillment API")
            .version("0.1.0")
            .description("""
                Orders placed here are fulfilled by a Temporal saga: reserve stock, charge, book a \
                shipment, confirm; undone in reverse when a step fails or the order is cancelled. \
                Every request but this document needs a bearer token: POST the client id and secret \
                (HTTP Basic) with grant_type=client_credentials to the token URL. Customers act on \
                their own orders, operators on everything, the carrier reports shipment events."""))
        .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme()
            .type(SecurityScheme.Type.OAUTH2)
            .description("OAuth 2.0 client credentials; the demo clients are user_1, user_2, user_3, operator "
                + "and carrier, each with the secret <id>-secret")
            .flows(new OAuthFlows().clientCredentials(new OAuthFlow().tokenUrl(tokenUrl).scopes(new Scopes())))))
        .addSecurityItem(new SecurityRequirement().addList(SCHEME));
  }
}
