package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.api.security.Caller;
import com.example.orders.order.OrderRequest;
import com.example.orders.order.OrderStatus;
import jakarta.validation.Valid;
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
class OrderController {

  private static final String IDEMPOTENCY_KEY = "[\\x21-\\x7E]{1,255}";

  private final OrderSubmission submission;
  private final OrderCancellation cancellation;
  private final OrderViews views;
  private final OrderOutcomes outcomes;

  OrderController(OrderSubmission submission, OrderCancellation cancellation, OrderViews views,
      OrderOutcomes outcomes) {
    this.submission = submission;
    this.cancellation = cancellation;
    this.views = views;
    this.outcomes = outcomes;
  }

  /** Optional body of the cancel request. */
  record CancelRequest(@Size(max = 500) String reason) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<OrderView> submit(
      @AuthenticationPrincipal Caller caller,
      @Valid @RequestBody SubmitOrderRequest body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
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
  @GetMapping("/{orderId}")
  OrderView get(@AuthenticationPrincipal Caller caller, @PathVariable String orderId) {
    return views.get(orderId, caller);
  }

  @GetMapping
  OrderView.Page list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) String customerId,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int pageSize = limit == null ? 50 : limit;
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

  @PostMapping("/{orderId}/cancel")
  ResponseEntity<OrderView> cancel(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String orderId,
      @Valid @RequestBody(required = false) CancelRequest body,
      @RequestHeader(name = "Prefer", required = false) String prefer) {
    String reason = body == null || body.reason() == null ? "Cancelled through the API" : body.reason();
    views.get(orderId, caller); // 404 unless the caller may see it
    boolean underWay = cancellation.cancel(orderId, reason, caller.subject());
    if (!underWay) {
      return ResponseEntity.ok(views.get(orderId, caller));
    }
    return respond(caller, orderId, OrderOutcomes.requestedWait(prefer), null);
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
