package com.example.orders.api.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/** Documents each operation's problem responses from its {@link ErrorResponses}, plus 401 and 403 where a token is needed. */
@Component
class ErrorResponsesCustomizer implements OperationCustomizer {

  /** One example problem per status, as the api really answers it. */
  private static final Map<Integer, Map<String, Object>> EXAMPLES = Map.of(
      400, problem("/problems/invalid-request", "Invalid request", 400, "The request has 1 invalid field(s)",
          List.of(Map.of("pointer", "/items/0/quantity", "detail", "must be a whole number"))),
      401, problem("/problems/unauthorized", "Unauthorized", 401,
          "Send an access token: Authorization: Bearer <token>, from the token endpoint (docs/API.md, Who may call what)", null),
      403, problem("/problems/forbidden", "Forbidden", 403,
          "A customer places orders for itself only: customerId must be user_1", null),
      404, problem("/problems/not-found", "Not found", 404, "Order 0f6b1a80-a2c0-4649-8262-eaf54eca7974 does not exist", null),
      409, problem("/problems/order-not-cancellable", "Order cannot be cancelled", 409,
          "Order is already COMPLETED", null),
      413, problem("/problems/body-too-large", "Request body too large", 413, "Request bodies are limited to 65536 bytes", null),
      415, problem("/problems/http-415", "Unsupported Media Type", 415, "Content-Type 'text/plain' is not supported.", null),
      422, problem("/problems/unknown-sku", "Unknown SKU", 422, "The order names SKUs that are not in the catalog",
          List.of(Map.of("pointer", "/items", "detail", "unknown SKU product_9"))));

  private static final Map<Integer, String> DESCRIPTIONS = Map.of(
      400, "Malformed JSON, a field that is missing, unknown, of the wrong type or out of range (errors[] names each), or a bad query parameter or header; nothing was written",
      401, "No access token, or one that is not valid here (signature, issuer, audience, expiry); WWW-Authenticate: Bearer tells why",
      403, "The token's role does not allow this, or it names another customer",
      404, "No such resource, or another customer's order (its existence is not revealed)",
      409, "The order is past the point where this is possible",
      413, "The body is over 64 KiB",
      415, "The body is not application/json",
      422, "Well-formed but refers to something unknown (customer, SKU) or reuses an Idempotency-Key for another body");

  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    ErrorResponses declared = handlerMethod.getMethodAnnotation(ErrorResponses.class);
    TreeSet<Integer> statuses = new TreeSet<>();
    statuses.add(400); // any request can be malformed: its path, query, headers or body
    if (declared != null) {
      for (int status : declared.value()) {
        statuses.add(status);
      }
    }
    boolean needsToken = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
    if (needsToken) {
      statuses.add(401);
      statuses.add(403); // some role always lacks the right (docs/API.md, Who may call what)
    }
    for (int status : statuses) {
      Example example = new Example().value(EXAMPLES.get(status));
      operation.getResponses().addApiResponse(String.valueOf(status), new ApiResponse()
          .description(DESCRIPTIONS.get(status))
          .content(new Content().addMediaType("application/problem+json", new MediaType()
              .schema(new Schema<>().$ref("#/components/schemas/Problem"))
              .examples(Map.of("problem", example)))));
    }
    return operation;
  }

  private static Map<String, Object> problem(String type, String title, int status, String detail,
      List<Map<String, String>> errors) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", type);
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    if (errors != null) {
      problem.put("errors", errors);
    }
    return problem;
  }
}
