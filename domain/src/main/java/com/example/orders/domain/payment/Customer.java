package com.example.orders.domain.payment;

import java.math.BigDecimal;

public record Customer(String customerId, String name, BigDecimal balance, long loyaltyPoints) {}
