package com.example.orders.order;

public record OrderResult(String orderId, OrderStatus status, String trackingNumber) {}
