package com.example.orders.domain.shipping;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in carrier. It delivers only to {@code supportedCountries}; an order to any other
 * valid country fails inside the saga as UNDELIVERABLE_ADDRESS.
 */
@ConfigurationProperties("orders.carrier")
public record CarrierProperties(String name, Set<String> supportedCountries) {
  public CarrierProperties {
    name = name == null ? "Demo Parcel" : name;
    supportedCountries = supportedCountries == null || supportedCountries.isEmpty()
        ? Set.of("US", "CA", "GB", "DE", "FR", "NL")
        : supportedCountries;
  }
}
