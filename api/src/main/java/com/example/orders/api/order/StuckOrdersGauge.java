package com.example.orders.api.order;

import com.example.orders.domain.order.OrderRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * {@code orders_stuck_compensating}: orders COMPENSATING with no change for 10 minutes, read from
 * the database at each scrape (the api publishes it, so that it is counted once, not per worker).
 * An undo retries until it succeeds; this is how an operator learns that one does not.
 */
@Component
class StuckOrdersGauge implements MeterBinder {

  static final int MINUTES = 10;

  private final OrderRepository orders;

  StuckOrdersGauge(OrderRepository orders) {
    this.orders = orders;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("orders.stuck.compensating", () -> orders.countStuckCompensating(MINUTES))
        .description("Orders COMPENSATING with no change for " + MINUTES + " minutes")
        .register(registry);
  }
}
