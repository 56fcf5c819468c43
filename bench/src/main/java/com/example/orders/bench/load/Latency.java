package com.example.orders.bench.load;

import java.util.Arrays;

/** Exact percentiles (nearest rank) over every measured latency; no histogram rounding. */
public record Latency(int count, double p50, double p90, double p99, double max) {

  public static final Latency EMPTY = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** @param millis latencies in milliseconds (the array is sorted in place) */
  public static Latency of(double[] millis) {
    if (millis.length == 0) {
      return EMPTY;
    }
    Arrays.sort(millis);
    return new Latency(millis.length, rank(millis, 0.50), rank(millis, 0.90), rank(millis, 0.99), millis[millis.length - 1]);
  }

  /** The smallest value with at least p of all values at or below it. */
  static double rank(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
