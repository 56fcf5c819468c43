package com.example.orders.inventory;

import com.example.orders.order.ActivityAttempt;
import com.example.orders.order.OrderRequest;
import org.springframework.stereotype.Component;

@Component
public class InventoryActivitiesImpl implements InventoryActivities {

  private final InventoryService inventory;
  private final ActivityAttempt attempts;

  public InventoryActivitiesImpl(InventoryService inventory, ActivityAttempt attempts) {
    this.inventory = inventory;
    this.attempts = attempts;
  }

  @Override
  public ReservationReceipt reserveInventory(OrderRequest order) {
    return attempts.run(order.orderId(), attempt -> new ReservationReceipt(inventory.reserve(order, attempt)));
  }

  @Override
  public void releaseInventory(String orderId) {
    attempts.runVoid(orderId, attempt -> inventory.release(orderId, attempt));
  }
}
