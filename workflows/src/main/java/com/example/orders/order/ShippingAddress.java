package com.example.orders.order;

public record ShippingAddress(
    String name, String line1, String city, String postalCode, String country) {}
