package com.example.orders.workflows.inventory;

import com.example.orders.workflows.order.StepReceipt;

/** @param attempt the activity attempt whose transaction made the reservation */
public record ReservationReceipt(int attempt) implements StepReceipt {}
