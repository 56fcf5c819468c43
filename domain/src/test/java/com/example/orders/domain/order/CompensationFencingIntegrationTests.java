package com.example.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A compensation may run before its action ever happened (the action timed out, or was cancelled
 * mid-flight). It must then be a no-op, and an action that commits afterwards must not take effect.
 */
class CompensationFencingIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryService inventory;
  @Autowired PaymentService payments;
  @Autowired ShippingService shipping;

  @Test
  void releaseWithoutReservationChangesNothingAndFencesALateReserve() {
    OrderRequest order = order("user_1", "US", line("product_1", 5, "50.00"));
    inventory.release(order.orderId(), 1);
    assertThat(available("product_1")).isEqualTo(100);

    assertThat(inventory.reserve(order, 1)).isZero();
    assertThat(available("product_1")).isEqualTo(100);
    assertThat(reserved("product_1")).isZero();
  }

  @Test
  void refundWithoutChargeChangesNothingAndFencesALateCharge() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 5, "50.00")));
    payments.refund(order.orderId(), 1);
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");

    assertThat(payments.charge(order.orderId(), 1).attempt()).isZero();
    assertThat(balance("user_1")).isEqualByComparingTo("1000.00");
    assertThat(count("SELECT count(*) FROM payments")).isZero();
  }

  @Test
  void cancelShipmentWithoutBookingChangesNothingAndFencesALateBooking() {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    shipping.cancel(order.orderId(), 1);
    assertThat(shipping.book(order.orderId(), 1, null).trackingNumber()).isNull();
    assertThat(count("SELECT count(*) FROM shipments")).isZero();
  }

  @Test
  void releaseAfterConfirmationLeavesSoldStockAlone() {
    OrderRequest order = order("user_1", "US", line("product_1", 2, "50.00"));
    inventory.reserve(order, 1);
    payments.charge(order.orderId(), 1);
    orderService.confirm(order.orderId(), 1);
    inventory.release(order.orderId(), 1);
    assertThat(sold("product_1")).isEqualTo(2);
    assertThat(available("product_1")).isEqualTo(98);
  }
}
