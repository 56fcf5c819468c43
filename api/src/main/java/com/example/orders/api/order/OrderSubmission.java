package com.example.orders.api.order;

import com.example.orders.api.problem.ApiException;
import com.example.orders.api.problem.Problems;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.inventory.Product;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.domain.order.OrderService;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.ShippingAddress;
import com.example.orders.domain.payment.PaymentService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.math.BigDecimal;
import org.springframework.beans.factory.annotation.Value;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Turns a POST /orders into exactly one order workflow and one order row, whatever retries,
 * duplicates or crashes happen:
 *
 * <ul>
 *   <li>With an Idempotency-Key the order id is derived from the principal and the key, so every retry targets the
 *       same workflow id; Temporal refuses a second start, and the stored request hash tells a
 *       retry (same order back) from a key reused for another body (422).
 *   <li>The workflow is started first and the row written after. If this process dies in between,
 *       the workflow's first step writes the row from its input: never a row without a workflow,
 *       and a workflow without its row only for an instant.
 * </ul>
 */
@Service
public class OrderSubmission {

  private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

  private final WorkflowClient client;
  private static final Logger log = LoggerFactory.getLogger(OrderSubmission.class);

  private final OrderRepository orders;
  private final OrderService orderService;
  private final InventoryService inventory;
  private final PaymentService payments;
  private final Counter submitted;

  /** Orders of this total or more wait for an operator's review, for at most reviewDeadline. */
  private final BigDecimal reviewThreshold;
  private final Duration reviewDeadline;
  /** How long after booking a shipment may take to be delivered before it is LOST and refunded. */
  private final Duration deliveryDeadline;

  public OrderSubmission(WorkflowClient client, OrderRepository orders, OrderService orderService,
      InventoryService inventory, PaymentService payments, MeterRegistry metrics,
      @Value("${orders.review.threshold}") BigDecimal reviewThreshold,
      @Value("${orders.review.deadline}") Duration reviewDeadline,
      @Value("${orders.delivery.deadline}") Duration deliveryDeadline) {
    this.deliveryDeadline = deliveryDeadline;
    this.reviewThreshold = reviewThreshold;
    this.reviewDeadline = reviewDeadline;
    this.submitted = metrics.counter("orders.submitted"); // accepted orders; an idempotent repeat is not one
    this.client = client;
    this.orders = orders;
    this.orderService = orderService;
    this.inventory = inventory;
    this.payments = payments;
  }

  /**
   * The order id, whether this call created it (false: an idempotent repeat), and the priced order
   * when this call priced it (null for a repeat answered from the stored row).
   */
  public record Submitted(String orderId, boolean created, OrderRequest order) {}

  /**
   * @param submittedBy the principal placing the order; its Idempotency-Key is scoped to it, so the
   *     same key from another principal is another order and never returns this one
   */
  public Submitted submit(SubmitOrderRequest request, String idempotencyKey, String submittedBy) {
    Map<String, Integer> quantities = mergedQuantities(request);
    if (!ISO_COUNTRIES.contains(request.shippingAddress().country())) {
      throw ApiException.invalid("Invalid shipping address", List.of(new Problems.FieldError(
          "/shippingAddress/country", "is not an ISO 3166-1 alpha-2 country code")));
    }
    String requestHash = hash(request.customerId(), quantities, request.shippingAddress());
    String orderId = idempotencyKey == null
        ? UUID.randomUUID().toString()
        : UUID.nameUUIDFromBytes(("idempotency-key:" + submittedBy + "\u0000" + idempotencyKey)
            .getBytes(StandardCharsets.UTF_8)).toString();

    if (idempotencyKey != null) {
      var existing = orders.find(orderId);
      if (existing.isPresent()) {
        return repeat(existing.get().requestHash(), requestHash, orderId, null);
      }
    }
    OrderRequest order = price(orderId, request, quantities, requestHash);
    try {
      WorkflowClient.start(client.newWorkflowStub(OrderWorkflow.class, OrderContract.startOptions(order))::process, order);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Only reachable with a key: a concurrent or crashed first attempt started it.
      String startedHash = orders.find(orderId).map(OrderRecord::requestHash).orElseGet(() ->
          client.newUntypedWorkflowStub(OrderContract.workflowId(orderId)).describe()
              .getMemo(OrderContract.REQUEST_HASH_MEMO, String.class, String.class));
      Submitted repeat = repeat(startedHash, requestHash, orderId, order);
      recordRow(order, idempotencyKey, submittedBy);
      return repeat;
    }
    recordRow(order, idempotencyKey, submittedBy);
    submitted.increment();
    // with the trace id in the line (logging correlation): an operator goes from an order to its trace
    log.info("Order {} accepted: {} for {}, {} {}", orderId, order.describeLines(), order.customerId(),
        order.total().toPlainString(), order.currency());
    return new Submitted(orderId, true, order);
  }

  /**
   * Best effort: once the workflow has started the order is accepted, and if this write fails the
   * workflow's first step records the row from its input. Failing the request here would tell the
   * client "no" about an order that will go ahead.
   */
  private void recordRow(OrderRequest order, String idempotencyKey, String submittedBy) {
    try {
      orderService.record(order, idempotencyKey, submittedBy);
    } catch (DataAccessException e) {
      log.warn("Order {} accepted, its row will be written by the workflow: {}", order.orderId(), e.getMessage());
    }
  }

  private static Submitted repeat(String storedHash, String requestHash, String orderId, OrderRequest order) {
    if (!requestHash.equals(storedHash)) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
          "Idempotency-Key reused", "This Idempotency-Key was used for a different order body");
    }
    return new Submitted(orderId, false, order);
  }

  /** The same SKU on several lines is merged into one line (quantities added, at most 1000). */
  private static Map<String, Integer> mergedQuantities(SubmitOrderRequest request) {
    Map<String, Integer> quantities = new TreeMap<>();
    for (SubmitOrderRequest.Item item : request.items()) {
      quantities.merge(item.sku(), item.quantity(), Integer::sum);
    }
    List<Problems.FieldError> errors = new ArrayList<>();
    quantities.forEach((sku, quantity) -> {
      if (quantity > 1000) {
        errors.add(new Problems.FieldError("/items", sku + ": merged quantity " + quantity + " is over 1000"));
      }
    });
    if (!errors.isEmpty()) {
      throw ApiException.invalid("Invalid items", errors);
    }
    return quantities;
  }

  /** Prices every line from the catalog; unknown customer or SKUs are 422. */
  private OrderRequest price(String orderId, SubmitOrderRequest request, Map<String, Integer> quantities,
      String requestHash) {
    if (payments.findCustomer(request.customerId()).isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-customer", "Unknown customer",
          "Customer " + request.customerId() + " does not exist");
    }
    Map<String, Product> catalog = inventory.findProducts(List.copyOf(quantities.keySet())).stream()
        .collect(Collectors.toMap(Product::sku, Function.identity()));
    List<Problems.FieldError> unknown = quantities.keySet().stream()
        .filter(sku -> !catalog.containsKey(sku))
        .map(sku -> new Problems.FieldError("/items", "unknown SKU " + sku))
        .toList();
    if (!unknown.isEmpty()) {
      throw new ApiException(Problems.withErrors(Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-sku",
          "Unknown SKU", "The order names SKUs that are not in the catalog"), unknown));
    }
    List<OrderLine> lines = quantities.entrySet().stream()
        .map(e -> new OrderLine(e.getKey(), e.getValue(), catalog.get(e.getKey()).price()))
        .toList();
    BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add)
        .setScale(2);
    var a = request.shippingAddress();
    return new OrderRequest(orderId, request.customerId(), lines,
        new ShippingAddress(a.name(), a.line1(), a.city(), a.postalCode(), a.country()),
        total, OrderContract.CURRENCY, requestHash,
        total.compareTo(reviewThreshold) >= 0 ? reviewDeadline : null, deliveryDeadline);
  }

  /** SHA-256 over a canonical form of the request: merged, sorted lines; exact text fields. */
  private static String hash(String customerId, Map<String, Integer> quantities, SubmitOrderRequest.Address a) {
    StringBuilder canonical = new StringBuilder(customerId).append('\u0000');
    quantities.forEach((sku, q) -> canonical.append(sku).append('=').append(q).append('\u0000'));
    for (String field : List.of(a.name(), a.line1(), a.city(), a.postalCode(), a.country())) {
      canonical.append(field).append('\u0000');
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
