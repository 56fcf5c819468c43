package com.example.orders.workflows.order;

import java.util.List;

/** What the workflow knows right now: answered by the {@code progress} query. */
public record OrderProgress(
    String orderId, OrderStatus status, List<StepState> steps, OrderFailure failure) {}
