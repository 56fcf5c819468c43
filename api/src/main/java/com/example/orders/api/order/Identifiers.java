package com.example.orders.api.order;

/** The shape of customer ids and SKUs accepted in requests and paths. */
public final class Identifiers {
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";
  public static final String MESSAGE = "must be 1-64 letters, digits, '_', '.', ':' or '-'";

  private Identifiers() {}
}
