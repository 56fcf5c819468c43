package com.example.orders.workflows.shipping;

import com.example.orders.workflows.order.StepReceipt;

public record ShipmentReceipt(String trackingNumber, String carrier, int attempt) implements StepReceipt {}
