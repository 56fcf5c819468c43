package com.example.orders.order;

public record StepState(String name, StepStatus status, int attempts) {}
