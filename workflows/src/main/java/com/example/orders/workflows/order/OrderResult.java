package com.example.orders.workflows.order;

public record OrderResult(String orderId, OrderStatus status, String trackingNumber) {}
