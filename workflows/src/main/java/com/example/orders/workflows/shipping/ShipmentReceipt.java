package com.example.orders.workflows.shipping;

public record ShipmentReceipt(String trackingNumber, String carrier, int attempt) {}
