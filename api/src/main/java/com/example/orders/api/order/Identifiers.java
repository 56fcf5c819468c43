package com.example.orders.api.order;

/** The shape of customer ids and SKUs accepted in requests and paths. */
public final class Identifiers {
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";
  public static final String MESSAGE = "must be 1-64 letters, digits, '_', '.', ':' or '-'";

  /**
   * Free text without control characters (C0, C1) or lone surrogates: PostgreSQL rejects NUL and the
   * rest is never wanted. Written so Java, Python and ECMAScript regexes read it the same way, since
   * the OpenAPI document publishes it to clients and fuzzers.
   */
  public static final String TEXT = "[^\\x00-\\x1F\\x7F-\\x9F\\uD800-\\uDFFF]*";
  public static final String TEXT_MESSAGE = "must not contain control characters";

  private Identifiers() {}
}
