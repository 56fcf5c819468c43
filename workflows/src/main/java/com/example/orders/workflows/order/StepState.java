package com.example.orders.workflows.order;

public record StepState(String name, StepStatus status, int attempts) {}
