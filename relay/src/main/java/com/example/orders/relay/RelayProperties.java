package com.example.orders.relay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The relay's settings (application.yml).
 *
 * @param bootstrapServers the Kafka cluster
 * @param batchSize how many keys' oldest unpublished events one claim takes (one event per key)
 * @param idlePoll how long it waits before claiming again after a claim that was not full (no backlog)
 * @param retryBackoff how long it waits after a claim it could not publish (Kafka or PostgreSQL away)
 * @param retention how long published rows are kept before they are deleted
 */
@ConfigurationProperties("orders.relay")
public record RelayProperties(String bootstrapServers, int batchSize,
    Duration idlePoll, Duration retryBackoff, Duration retention) {}
