package com.example.orders.workflows.inventory;

/** @param attempt the activity attempt whose transaction made the reservation */
public record ReservationReceipt(int attempt) {}
