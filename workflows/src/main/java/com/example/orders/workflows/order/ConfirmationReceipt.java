package com.example.orders.workflows.order;

public record ConfirmationReceipt(long loyaltyPointsAwarded, int attempt) implements StepReceipt {}
