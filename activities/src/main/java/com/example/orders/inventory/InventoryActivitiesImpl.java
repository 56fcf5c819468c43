package com.example.orders.inventory;

import com.example.orders.order.ActivityAttempt;
import com.example.orders.order.OrderRequest;
import org.springframework.stereotype.Component;

@Component
public class InventoryActivitiesImpl implements InventoryActivities {

  private final InventoryService inventory;

  public InventoryActivitiesImpl(InventoryService inventory) {
    this.inventory = inventory;
  }

  @Override
  public ReservationReceipt reserveInventory(OrderRequest order) {
    return ActivityAttempt.run(attempt -> new ReservationReceipt(inventory.reserve(order, attempt)));
  }

  @Override
  public void releaseInventory(String orderId) {
    ActivityAttempt.runVoid(attempt -> inventory.release(orderId, attempt));
  }
}
