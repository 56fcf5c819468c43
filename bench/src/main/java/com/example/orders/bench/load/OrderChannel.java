package com.example.orders.bench.load;

import com.example.orders.bench.load.LoadGenerator.Sample;
import java.util.List;

/** Where the load goes: the api over HTTP ({@link HttpOrders}), or Temporal itself for the ceiling ({@link CeilingOrders}). */
interface OrderChannel {

  /** Creates what the orders need before the first one is sent. */
  void setUp(LoadConfig config) throws InterruptedException;

  /** Sends one order and records in {@code sample} when and how it was answered; never throws. */
  void send(LoadConfig config, Sample sample);

  /** Finds the outcome of orders answered before they ended ({@link LoadGenerator.Kind#ACCEPTED}). */
  void resolveAccepted(LoadConfig config, List<Sample> samples) throws InterruptedException;
}
