package com.example.orders.inventory;

import com.example.orders.order.BusinessRuleViolation;
import com.example.orders.order.OrderFailureReason;
import com.example.orders.order.OrderLine;
import com.example.orders.order.OrderRepository;
import com.example.orders.order.OrderRequest;
import com.example.orders.order.OrderStatus;
import com.example.orders.order.SagaStep;
import com.example.orders.order.StepLedger;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Stock: reservations for the saga, and the catalog operations of the API. */
@Service
public class InventoryService {

  private static final String RESERVE = SagaStep.RESERVE_INVENTORY.activityName();
  private static final String RELEASE = SagaStep.RESERVE_INVENTORY.compensationName();
  private static final String CONFIRM = SagaStep.CONFIRM_ORDER.activityName();

  private final ProductRepository products;
  private final OrderRepository orders;
  private final StepLedger ledger;

  public InventoryService(ProductRepository products, OrderRepository orders, StepLedger ledger) {
    this.products = products;
    this.orders = orders;
    this.ledger = ledger;
  }

  /**
   * Reserves every line or none. Returns the attempt that made the reservation (a repeat returns
   * the first one's), or 0 when a release already fenced the order off.
   *
   * <p>Hot products: everything that concerns only this order (its lock, its idempotency record,
   * its row and status) is written first, and the stock last, with one conditional UPDATE per line
   * in SKU order. A product row is therefore locked only from its UPDATE to the commit, which is
   * what lets many orders for one SKU go through close to PostgreSQL's single-row limit (./run
   * bench hot-sku). The condition {@code available >= quantity} is re-checked by PostgreSQL on the
   * newest row version after any wait, so the stock can never be oversold; a line that does not fit
   * throws, and the whole transaction, record and status included, rolls back.
   */
  @Transactional
  public int reserve(OrderRequest order, int attempt) {
    ledger.lockOrder(order.orderId());
    Map<String, StepLedger.StepRecord> recorded = ledger.findAll(order.orderId()).stream()
        .collect(Collectors.toMap(StepLedger.StepRecord::step, Function.identity()));
    if (recorded.containsKey(RELEASE)) {
      return 0;
    }
    if (recorded.containsKey(RESERVE)) {
      return recorded.get(RESERVE).attempt();
    }
    List<OrderLine> lines = order.lines().stream().sorted(Comparator.comparing(OrderLine::sku)).toList();
    // Unlocked, so only a fast refusal: an order the stock clearly cannot cover writes nothing.
    Map<String, Product> current = products.findAll(lines.stream().map(OrderLine::sku).toList()).stream()
        .collect(Collectors.toMap(Product::sku, Function.identity()));
    for (OrderLine line : lines) {
      refuseUnlessCovered(line, current.get(line.sku()));
    }
    orders.insertIfAbsent(order, null);
    ledger.record(order.orderId(), RESERVE, attempt, true);
    orders.updateStatus(order.orderId(), OrderStatus.RESERVED);
    // The authoritative check: each UPDATE re-checks the stock under the row lock it takes.
    for (OrderLine line : lines) {
      if (!products.reserveIfAvailable(line.sku(), line.quantity())) {
        refuseUnlessCovered(line, products.find(line.sku()).orElse(null));
        // stock was released between the UPDATE and the read: a retryable failure, Temporal retries
        throw new IllegalStateException(line.sku() + ": stock changed during the reservation, retry");
      }
    }
    return attempt;
  }

  private static void refuseUnlessCovered(OrderLine line, Product product) {
    if (product == null) {
      throw new BusinessRuleViolation(OrderFailureReason.UNKNOWN_SKU, "Unknown SKU " + line.sku());
    }
    if (product.available() < line.quantity()) {
      throw new BusinessRuleViolation(OrderFailureReason.OUT_OF_STOCK,
          line.sku() + ": " + line.quantity() + " requested, " + product.available() + " available");
    }
  }

  /** Returns a reservation to available; a no-op if nothing was reserved or it was already sold. */
  @Transactional
  public void release(String orderId, int attempt) {
    ledger.lockOrder(orderId);
    if (ledger.exists(orderId, RELEASE)) {
      return;
    }
    boolean held = ledger.tookEffect(orderId, RESERVE) && !ledger.exists(orderId, CONFIRM);
    if (held) {
      List<OrderLine> lines = orders.lines(orderId);
      products.lockInSkuOrder(lines.stream().map(OrderLine::sku).toList());
      for (OrderLine line : lines) {
        products.adjust(line.sku(), line.quantity(), -line.quantity(), 0);
      }
    }
    ledger.record(orderId, RELEASE, attempt, held);
  }

  /** Reserved units of a confirmed order become sold. Runs inside the confirmation transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void consumeReservation(String orderId) {
    List<OrderLine> lines = orders.lines(orderId);
    products.lockInSkuOrder(lines.stream().map(OrderLine::sku).toList());
    for (OrderLine line : lines) {
      products.adjust(line.sku(), 0, -line.quantity(), line.quantity());
    }
  }

  public List<Product> listProducts() {
    return products.findAll();
  }

  public Optional<Product> findProduct(String sku) {
    return products.find(sku);
  }

  public List<Product> findProducts(List<String> skus) {
    return products.findAll(skus);
  }

  /** The operator's create-or-update (restock). A new product needs all three fields. */
  @Transactional
  public Product upsertProduct(String sku, String name, BigDecimal price, Integer available) {
    Optional<Product> existing = products.lockInSkuOrder(List.of(sku)).stream().findFirst();
    if (existing.isEmpty()) {
      if (name == null || price == null || available == null) {
        throw new IllegalArgumentException("a new product needs name, price and available");
      }
      products.insert(sku, name, price, available);
    } else {
      Product p = existing.get();
      products.update(sku, name != null ? name : p.name(), price != null ? price : p.price(),
          available != null ? available : p.available());
    }
    return products.find(sku).orElseThrow();
  }
}
