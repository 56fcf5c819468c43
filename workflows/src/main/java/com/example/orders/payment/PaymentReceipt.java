package com.example.orders.payment;

import java.math.BigDecimal;

public record PaymentReceipt(BigDecimal amount, int attempt) {}
