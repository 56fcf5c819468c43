package com.example.orders.workflows.order;

/**
 * Why an order was undone: the step that failed (null for a cancel), the reason type, a message,
 * and the attempt of the step that failed (0 when unknown or cancelled).
 */
public record OrderFailure(String step, String reason, String message, int attempts) {}
