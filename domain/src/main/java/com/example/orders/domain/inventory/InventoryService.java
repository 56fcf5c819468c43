package com.example.orders.domain.inventory;

import com.example.orders.domain.outbox.Outbox;
import java.util.Map;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.order.BusinessRuleViolation;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.SagaStep;
import com.example.orders.domain.order.StepLedger;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Stock: reservations for the saga, and the catalog operations of the API. */
@Service
public class InventoryService {

  private static final String RESERVE = SagaStep.RESERVE_INVENTORY.activityName();  // also in V4's and V13's functions
  private static final String RELEASE = SagaStep.RESERVE_INVENTORY.compensationName();
  private static final String CONFIRM = SagaStep.CONFIRM_ORDER.activityName();

  private final ProductRepository products;
  private final OrderRepository orders;
  private final StepLedger ledger;
  private final TransactionTemplate transactions;
  private final AuditLog audit;
  private final Outbox outbox;

  public InventoryService(ProductRepository products, OrderRepository orders, StepLedger ledger,
      TransactionTemplate transactions, AuditLog audit, Outbox outbox) {
    this.outbox = outbox;
    this.products = products;
    this.orders = orders;
    this.ledger = ledger;
    this.transactions = transactions;
    this.audit = audit;
  }

  /**
   * Reserves every line or none. Returns the attempt that made the reservation (a repeat returns
   * the first one's), or 0 when a release already fenced the order off.
   *
   * <p>One call of the {@code reserve_inventory} function (migrations V4 and V13), which does what
   * every step does (order lock, fences, idempotency record, status) and then moves the stock with one
   * conditional {@code UPDATE ... WHERE available >= q} per line in SKU order, last, so a hot
   * product row is locked only from its UPDATE to the commit. One round trip instead of eight is
   * what brings many orders for one SKU near PostgreSQL's single-row limit (./run bench hot-sku).
   */
  public int reserve(OrderRequest order, int attempt) {
    int reserved = callReserveInventory(order, attempt);
    if (reserved == ProductRepository.ORDER_ROW_MISSING) {
      // The api died between starting the workflow and writing the order: write it from the input.
      // (reserve_inventory refuses unknown SKUs before that answer: order_items' foreign key holds.)
      transactions.executeWithoutResult(status -> orders.insertIfAbsent(order, null, null));
      reserved = callReserveInventory(order, attempt);
    }
    return reserved;
  }

  private int callReserveInventory(OrderRequest order, int attempt) {
    try {
      return products.reserveInventory(order.orderId(), attempt,
          order.lines().stream().map(OrderLine::sku).toList(),
          order.lines().stream().map(OrderLine::quantity).toList());
    } catch (DataAccessException e) {
      if (e.getMostSpecificCause() instanceof PSQLException refusal && refusal.getServerErrorMessage() != null) {
        String message = refusal.getServerErrorMessage().getMessage();
        switch (String.valueOf(refusal.getSQLState())) {
          case ProductRepository.OUT_OF_STOCK -> throw new BusinessRuleViolation(OrderFailureReason.OUT_OF_STOCK, message);
          case ProductRepository.UNKNOWN_SKU -> throw new BusinessRuleViolation(OrderFailureReason.UNKNOWN_SKU, message);
          case ProductRepository.ORDER_UNDONE -> throw new BusinessRuleViolation(
              refusal.getServerErrorMessage().getDetail(), message);
          default -> { }
        }
      }
      throw e;
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

  /**
   * The operator's create-or-update (restock), recorded in the audit log with who did it, in the
   * same transaction. A new product needs all three fields.
   */
  @Transactional
  public Product upsertProduct(String sku, String name, BigDecimal price, Integer available, String changedBy) {
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
    Product now = products.find(sku).orElseThrow();
    outbox.stockEvent(sku, Map.of("name", now.name(), "price", Outbox.money(now.price()), "available", now.available(),
        "reserved", now.reserved(), "sold", now.sold(), "changedBy", changedBy));
    audit.record(changedBy, existing.isEmpty() ? "PRODUCT_CREATED" : "PRODUCT_CHANGED", AuditLog.product(sku),
        existing.map(before -> "name " + before.name() + " -> " + now.name() + ", price " + before.price().toPlainString()
                + " -> " + now.price().toPlainString() + ", available " + before.available() + " -> " + now.available())
            .orElse("name " + now.name() + ", price " + now.price().toPlainString() + ", available " + now.available()));
    return now;
  }
}
