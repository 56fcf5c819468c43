package com.example.orders.activities.inventory;

import com.example.orders.activities.order.ActivityAttempt;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.inventory.ReservationReceipt;
import com.example.orders.workflows.order.OrderRequest;
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
