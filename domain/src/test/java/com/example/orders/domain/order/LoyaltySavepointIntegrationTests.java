package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Loyalty points are degradable: their failure rolls back only their savepoint, never the order. */
class LoyaltySavepointIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;

  @AfterEach
  void dropFault() {
    jdbc.sql("DROP TRIGGER IF EXISTS loyalty_fault ON customers").update();
    jdbc.sql("DROP FUNCTION IF EXISTS loyalty_fault()").update();
  }

  @Test
  void aFailingPointsUpdateStillConfirmsTheOrder() {
    jdbc.sql("""
        CREATE FUNCTION loyalty_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'loyalty service down'; END $$""").update();
    jdbc.sql("""
        CREATE TRIGGER loyalty_fault BEFORE UPDATE OF loyalty_points ON customers
        FOR EACH ROW EXECUTE FUNCTION loyalty_fault()""").update();

    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    OrderService.Confirmation confirmation = orderService.confirm(order.orderId(), 1);

    assertThat(confirmation.loyaltyPointsAwarded()).isZero();
    assertThat(status(order.orderId())).isEqualTo("COMPLETED");
    assertThat(sold("product_1")).isEqualTo(2);
    assertThat(loyaltyPoints("user_1")).isZero();
    assertThat(count("SELECT count(*) FROM order_steps WHERE step = 'confirmOrder'")).isEqualTo(1);
  }

  @Test
  void pointsAreOnePerWholeCurrencyUnit() {
    assertThat(LoyaltyProgram.pointsFor(new java.math.BigDecimal("100.00"))).isEqualTo(100);
    assertThat(LoyaltyProgram.pointsFor(new java.math.BigDecimal("99.99"))).isEqualTo(99);
  }
}
