package com.example.orders.order;

/** Why an order was undone: the step that failed (null for a cancel), the reason type, a message. */
public record OrderFailure(String step, String reason, String message) {}
