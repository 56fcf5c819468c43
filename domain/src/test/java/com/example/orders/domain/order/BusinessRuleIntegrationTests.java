package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A business failure changes nothing (InventoryActivitiesIntegrationTests: how it reaches Temporal). */
class BusinessRuleIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;
  @Autowired ShippingService shipping;

  @Test
  void outOfStockReservesNothingOnAnyLine() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"), line("product_3", 26, "300.00"));
    assertThatThrownBy(() -> inventory.reserve(order, 1))
        .isInstanceOfSatisfying(BusinessRuleViolation.class,
            v -> assertThat(v.reason()).isEqualTo(OrderFailureReason.OUT_OF_STOCK));
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(available("product_3")).isEqualTo(25);
    assertThat(count("SELECT count(*) FROM order_steps")).isZero();
  }

  @Test
  void anUnknownSkuIsRefusedAndWritesNothing() {
    OrderRequest order = order("user_1", "US", line("product_1", 1, "50.00"), line("no_such_sku", 1, "1.00"));
    assertThatThrownBy(() -> inventory.reserve(order, 1))
        .isInstanceOfSatisfying(BusinessRuleViolation.class,
            v -> assertThat(v.reason()).isEqualTo(OrderFailureReason.UNKNOWN_SKU));
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(count("SELECT count(*) FROM orders")).isZero();
    assertThat(count("SELECT count(*) FROM order_steps")).isZero();
  }

  @Test
  void insufficientFundsChargesNothing() {
    OrderRequest order = recorded(order("user_3", "US", line("product_1", 5, "50.00")));
    assertThatThrownBy(() -> payments.charge(order.orderId(), 1))
        .isInstanceOfSatisfying(BusinessRuleViolation.class,
            v -> assertThat(v.reason()).isEqualTo(OrderFailureReason.INSUFFICIENT_FUNDS));
    assertThat(balance("user_3")).isEqualByComparingTo("200.00");
    assertThat(count("SELECT count(*) FROM payments")).isZero();
  }

  @Test
  void unsupportedCountryIsUndeliverable() {
    OrderRequest order = recorded(order("user_2", "AQ", line("product_2", 1, "120.00")));
    assertThatThrownBy(() -> shipping.book(order.orderId(), 1, null))
        .isInstanceOfSatisfying(BusinessRuleViolation.class,
            v -> assertThat(v.reason()).isEqualTo(OrderFailureReason.UNDELIVERABLE_ADDRESS));
    assertThat(count("SELECT count(*) FROM shipments")).isZero();
  }
}
