package com.example.orders.order;

public enum StepStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  COMPENSATING,
  COMPENSATED,
  SKIPPED
}
