package com.example.orders.temporal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the Temporal frontend is. Defaults to the dev server started by ./run; set
 * ORDERS_TEMPORAL_TARGET and ORDERS_TEMPORAL_NAMESPACE for another cluster.
 *
 * @param uiUrl base URL of the Temporal Web UI, used for links in API responses
 */
@ConfigurationProperties("orders.temporal")
public record TemporalProperties(String target, String namespace, String uiUrl) {
  public TemporalProperties {
    target = target == null ? "127.0.0.1:7233" : target;
    namespace = namespace == null ? "default" : namespace;
    uiUrl = uiUrl == null ? "http://localhost:8233" : uiUrl.replaceAll("/+$", "");
  }
}
