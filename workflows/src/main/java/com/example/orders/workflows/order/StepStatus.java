package com.example.orders.workflows.order;

public enum StepStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  COMPENSATING,
  COMPENSATED,
  SKIPPED
}
