package com.example.orders.shipping;

public record ShipmentReceipt(String trackingNumber, String carrier, int attempt) {}
