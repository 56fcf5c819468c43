package com.example.orders.workflows.order;

/** What every forward step returns: the attempt whose transaction took effect, shown per step. */
public interface StepReceipt {
  int attempt();
}
