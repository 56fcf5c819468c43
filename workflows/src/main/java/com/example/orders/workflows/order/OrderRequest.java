package com.example.orders.workflows.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Input of OrderWorkflow: a fully priced order. Prices come from the catalog at submission; the
 * workflow never re-prices. The first step records the order row from this if the API could not.
 * The api decides at submission whether it needs an operator's review (total at or above the
 * threshold) and for how long: recorded in the history, so configuration changes never alter an
 * order in flight.
 */
public record OrderRequest(
    String orderId,
    String customerId,
    List<OrderLine> lines,
    ShippingAddress shippingAddress,
    BigDecimal total,
    String currency,
    String requestHash,
    Duration reviewWithin,
    Duration deliveryWithin) {

  /**
   * An order that needs no review and whose shipment is not tracked (both null), as every order was
   * before those existed.
   */
  public OrderRequest(String orderId, String customerId, List<OrderLine> lines, ShippingAddress shippingAddress,
      BigDecimal total, String currency, String requestHash) {
    this(orderId, customerId, lines, shippingAddress, total, currency, requestHash, null, null);
  }

  /** Whether an operator must approve it first; then reviewWithin is how long the decision may take. */
  public boolean needsReview() {
    return reviewWithin != null;
  }

  public String describeLines() {
    StringBuilder text = new StringBuilder();
    for (OrderLine line : lines) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(line.quantity()).append(" x ").append(line.sku());
    }
    return text.toString();
  }
}
