package com.example.orders.order;

public record ConfirmationReceipt(long loyaltyPointsAwarded, int attempt) {}
