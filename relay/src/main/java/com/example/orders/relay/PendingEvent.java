package com.example.orders.relay;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A committed outbox row the relay has claimed and not yet published. */
public record PendingEvent(UUID id, long position, String topic, String key, long sequence, String type,
    String data, OffsetDateTime createdAt) {}
