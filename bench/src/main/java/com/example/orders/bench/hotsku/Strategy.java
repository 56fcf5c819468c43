package com.example.orders.bench.hotsku;

/** One way to reserve units of the hot SKU; safe to call from many threads at once. */
interface Strategy {

  String name();

  /** True if the units were reserved, false if the stock did not cover them. */
  boolean reserve(int quantity) throws Exception;

  /** Called before each run, after the stock was reset and the order tables emptied. */
  default void prepare(int expectedReservations) {}

  /** Notes for the report (for example how a pool of prepared orders was used). */
  default String notes() {
    return "";
  }

  /** Conflicts retried inside {@link #reserve} (optimistic strategies), for the report. */
  default long retries() {
    return 0;
  }

  /** True for the deliberately unsafe control, which is expected to oversell. */
  default boolean control() {
    return false;
  }
}
