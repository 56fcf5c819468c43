package com.example.orders.workflows.inventory;

import com.example.orders.workflows.order.OrderRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activity type names are pinned to the method names ({@code reserveInventory}, not the SDK's
 * default {@code ReserveInventory}) so the Web UI, the step ledger and the API use one vocabulary.
 */
@ActivityInterface
public interface InventoryActivities {

  /**
   * Moves each line's quantity from available to reserved, all lines or none. Records the order
   * row first if the API died before writing it. Idempotency key: (orderId, reserveInventory); a
   * repeat returns the first receipt. Refused as a no-op once the order was released.
   *
   * @throws io.temporal.failure.ApplicationFailure OUT_OF_STOCK or UNKNOWN_SKU, non-retryable
   */
  @ActivityMethod(name = "reserveInventory")
  ReservationReceipt reserveInventory(OrderRequest order);

  /**
   * Moves a reservation back to available. Idempotency key: (orderId, releaseInventory). A no-op
   * when nothing was reserved, and it fences off a reserve that would commit later.
   */
  @ActivityMethod(name = "releaseInventory")
  void releaseInventory(String orderId);
}
