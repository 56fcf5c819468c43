package com.example.orders.workflows.payment;

import com.example.orders.workflows.order.StepReceipt;
import java.math.BigDecimal;

public record PaymentReceipt(BigDecimal amount, int attempt) implements StepReceipt {}
