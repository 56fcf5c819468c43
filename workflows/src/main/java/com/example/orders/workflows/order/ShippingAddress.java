package com.example.orders.workflows.order;

public record ShippingAddress(
    String name, String line1, String city, String postalCode, String country) {}
