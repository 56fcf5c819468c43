package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.security.Caller;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.api.openapi.ErrorResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
@Tag(name = "orders")
class OrderController {

  private static final String IDEMPOTENCY_KEY = "[\\x21-\\x7E]{1,255}";

  private final OrderSubmission submission;
  private final OrderCancellation cancellation;
  private final OrderReviewing reviewing;
  private final OrderViews views;
  private final OrderOutcomes outcomes;

  OrderController(OrderSubmission submission, OrderCancellation cancellation, OrderReviewing reviewing,
      OrderViews views, OrderOutcomes outcomes) {
    this.submission = submission;
    this.cancellation = cancellation;
    this.reviewing = reviewing;
    this.views = views;
    this.outcomes = outcomes;
  }

  /** Optional body of the cancel request. */
  record CancelRequest(
      @Schema(nullable = true, description = "Why; becomes the order's failure message (absent or null: a default)",
          example = "changed my mind")
      @Size(max = 500) String reason) {}

  /** Body of an operator's review decision. */
  record ReviewRequest(
      @Schema(description = "APPROVE lets the order go on to payment; REJECT undoes it (FAILED, REVIEW_REJECTED)",
          allowableValues = {"APPROVE", "REJECT"}, example = "APPROVE")
      @NotNull @Pattern(regexp = "APPROVE|REJECT", message = "must be APPROVE or REJECT") String decision,
      @Schema(nullable = true, description = "Why; recorded with the decision and shown to operators",
          example = "called the customer: genuine")
      @Size(max = 500) String note) {}

  @Operation(operationId = "submitOrder", summary = "Place an order",
      description = """
          Prices the order from the catalog and starts its saga. Answers 202 at once, or, with \
          `Prefer: wait=N`, 200 with the final order if it ends within N seconds. The same \
          Idempotency-Key from the same principal with the same body returns the same order (200 or \
          202); with another body it is 422. Roles: a customer places orders for itself (a body \
          customerId of someone else is 403); an operator for any customer.""")
  @ApiResponse(responseCode = "202", description = "Accepted: the saga runs; follow Location",
      headers = {@Header(name = "Location", description = "/orders/{orderId}", schema = @Schema(type = "string")),
          @Header(name = "Preference-Applied", description = "wait=N, when Prefer: wait was sent",
              schema = @Schema(type = "string"))},
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ApiResponse(responseCode = "200", description = "The order reached COMPLETED, FAILED or CANCELLED within the wait",
      headers = {@Header(name = "Location", description = "/orders/{orderId}", schema = @Schema(type = "string")),
          @Header(name = "Preference-Applied", description = "wait=N", schema = @Schema(type = "string"))},
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ErrorResponses({400, 413, 415, 422})
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<OrderView> submit(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Valid @RequestBody SubmitOrderRequest body,
      @Parameter(description = "Makes retries safe: 1 to 255 visible ASCII characters, scoped to the caller",
          schema = @Schema(type = "string", pattern = "^[\\x21-\\x7E]{1,255}$", example = "checkout-42"))
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @Parameter(description = "wait=N (N at most 60): hold the answer until the order is final or N seconds pass",
          schema = @Schema(type = "string", example = "wait=10"))
      @RequestHeader(name = "Prefer", required = false) String prefer) {
    if (idempotencyKey != null && !idempotencyKey.matches(IDEMPOTENCY_KEY)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid Idempotency-Key",
          "Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    if (!caller.actsFor(body.customerId())) {
      throw ApiException.forbidden("A customer places orders for itself only: customerId must be " + caller.customerId());
    }
    OrderSubmission.Submitted submitted = submission.submit(body, idempotencyKey, caller.subject());
    return respond(caller, submitted.orderId(), OrderOutcomes.requestedWait(prefer), submitted.order());
  }

  /** Another customer's order is 404, exactly like one that does not exist. */
  @Operation(operationId = "getOrder", summary = "An order, its steps, failure and shipment",
      description = "Roles: a customer its own orders (another customer's is 404, as if it did not exist); an operator any.")
  @ApiResponse(responseCode = "200", description = "The order")
  @ErrorResponses({404})
  @GetMapping("/{orderId}")
  OrderView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "0f6b1a80-a2c0-4649-8262-eaf54eca7974") @PathVariable String orderId) {
    return views.get(orderId, caller);
  }

  @Operation(operationId = "listOrders", summary = "Orders, newest first, a page at a time",
      description = "Roles: a customer lists its own orders only, whatever customerId says; an operator any, filtered.")
  @ApiResponse(responseCode = "200", description = "A page; nextCursor fetches the next one")
  @ErrorResponses({400})
  @GetMapping
  OrderView.Page list(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(description = "Only this customer's orders (operators)", example = "user_1")
      @RequestParam(required = false) String customerId,
      @Parameter(description = "Only orders in this status", schema = @Schema(implementation = OrderStatus.class))
      @RequestParam(required = false) String status,
      @Parameter(description = "Page size, 1 to 200 (default 50)", schema = @Schema(type = "integer", minimum = "1", maximum = "200"))
      @RequestParam(required = false) String limit,
      @Parameter(description = "The nextCursor of the previous page")
      @RequestParam(required = false) String cursor) {
    // read by hand: Spring would take "limit=" for no limit at all
    if (limit != null && !limit.matches("[0-9]{1,3}")) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-limit", "Invalid limit", "limit must be a whole number, 1 to 200");
    }
    int pageSize = limit == null ? 50 : Integer.parseInt(limit);
    if (pageSize < 1 || pageSize > 200) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-limit", "Invalid limit", "limit must be 1 to 200");
    }
    OrderStatus wanted = null;
    if (status != null) {
      wanted = Arrays.stream(OrderStatus.values()).filter(s -> s.name().equals(status)).findFirst()
          .orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "invalid-status", "Invalid status",
              "status must be one of " + Arrays.toString(OrderStatus.values())));
    }
    // a customer sees its own orders whatever the query names
    String onlyFor = caller.isOperator() ? customerId : caller.restrictedToCustomer();
    return views.page(onlyFor, wanted, pageSize, cursor);
  }

  @Operation(operationId = "cancelOrder", summary = "Cancel an order before it is confirmed",
      description = """
          Undoes everything done so far (compensations in reverse) and ends the order CANCELLED; 409 once \
          confirmOrder has started or the order is final. Cancelling twice is fine. Who asked is recorded \
          (audit). Roles: a customer its own orders; an operator any.""")
  @ApiResponse(responseCode = "202", description = "Cancel accepted: the undo runs",
      headers = @Header(name = "Location", description = "/orders/{orderId}", schema = @Schema(type = "string")),
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ApiResponse(responseCode = "200", description = "The order is CANCELLED (now, within the wait, or already)",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ErrorResponses({400, 404, 409, 413, 415})
  @PostMapping("/{orderId}/cancel")
  ResponseEntity<OrderView> cancel(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "0f6b1a80-a2c0-4649-8262-eaf54eca7974") @PathVariable String orderId,
      @Valid @RequestBody(required = false) CancelRequest body,
      @Parameter(description = "wait=N (N at most 60): hold the answer until the order is final or N seconds pass",
          schema = @Schema(type = "string", example = "wait=10"))
      @RequestHeader(name = "Prefer", required = false) String prefer) {
    String reason = body == null || body.reason() == null ? "Cancelled through the API" : body.reason();
    boolean underWay = cancellation.cancel(orderId, reason, caller);
    if (!underWay) {
      return ResponseEntity.ok(views.get(orderId, caller));
    }
    return respond(caller, orderId, OrderOutcomes.requestedWait(prefer), null);
  }

  @Operation(operationId = "reviewOrder", summary = "Approve or reject an order awaiting review",
      description = """
          An order whose total is at least the review threshold (default 500.00) waits after reserveInventory           in AWAITING_REVIEW: stock held, no money taken. APPROVE lets it go on; REJECT undoes it (FAILED,           REVIEW_REJECTED). Who decided, when and the note are recorded. 409 when the order is not awaiting           review: decided already, never needed one, or final. Roles: operators.""")
  @ApiResponse(responseCode = "200", description = "Decided and recorded: the order as it is now",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ErrorResponses({400, 404, 409, 413, 415})
  @PostMapping(path = "/{orderId}/review", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<OrderView> review(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "0f6b1a80-a2c0-4649-8262-eaf54eca7974") @PathVariable String orderId,
      @Valid @RequestBody ReviewRequest body) {
    reviewing.decide(orderId, body.decision(), body.note(), caller);
    return ResponseEntity.ok(views.get(orderId, caller));
  }

  /**
   * 200 with the order once terminal (within the requested wait), otherwise 202. {@code accepted}
   * stands in while the order's row is not written yet (see OrderSubmission#recordRow).
   */
  private ResponseEntity<OrderView> respond(Caller caller, String orderId, Duration wait, OrderRequest accepted) {
    boolean terminal = !wait.isZero() && outcomes.awaitTerminal(orderId, wait);
    OrderView order = accepted == null
        ? views.get(orderId, caller)
        : views.find(orderId, caller).orElseGet(() -> views.accepted(accepted, caller.subject()));
    var response = terminal || order.status().isTerminal()
        ? ResponseEntity.ok()
        : ResponseEntity.status(HttpStatus.ACCEPTED);
    if (!wait.isZero()) {
      response.header("Preference-Applied", "wait=" + wait.toSeconds());
    }
    return response.location(URI.create("/orders/" + orderId)).body(order);
  }
}
