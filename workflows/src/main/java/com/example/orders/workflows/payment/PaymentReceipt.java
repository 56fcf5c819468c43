package com.example.orders.workflows.payment;

import java.math.BigDecimal;

public record PaymentReceipt(BigDecimal amount, int attempt) {}
