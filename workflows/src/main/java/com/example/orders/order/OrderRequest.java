package com.example.orders.order;

import java.math.BigDecimal;
import java.util.List;

/**
 * Input of OrderWorkflow: a fully priced order. Prices come from the catalog at submission; the
 * workflow never re-prices. The first step records the order row from this if the API could not.
 */
public record OrderRequest(
    String orderId,
    String customerId,
    List<OrderLine> lines,
    ShippingAddress shippingAddress,
    BigDecimal total,
    String currency,
    String requestHash) {

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
