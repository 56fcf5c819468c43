-- The transactional outbox (docs/architecture.md, Events): each change an outside system cares about
-- writes its event here in the transaction that makes the change, and a relay publishes committed rows
-- to Kafka. A PostgreSQL commit and a Kafka publish cannot share a COMMIT; a row here can.
CREATE TABLE outbox_events (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),  -- the CloudEvent's id
    -- the relay claims rows in this order; one key's rows are also in their sequence order
    position      BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    topic         TEXT NOT NULL,
    message_key   TEXT NOT NULL,       -- the Kafka key and the CloudEvent's subject: order id or SKU
    sequence      BIGINT NOT NULL CHECK (sequence >= 1),
    event_type    TEXT NOT NULL,       -- OrderPlaced, ..., StockChanged
    data          JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    published_at  TIMESTAMPTZ,
    parked_at     TIMESTAMPTZ,         -- could not be published (too large, not serialisable): held for an operator
    publish_error TEXT,
    UNIQUE (topic, message_key, sequence)
);

-- What the relay reads: the few unpublished rows, never the published ones awaiting deletion.
CREATE INDEX outbox_events_pending ON outbox_events (position) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_events_pending_by_key ON outbox_events (topic, message_key, sequence)
  WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE published_at IS NOT NULL;

-- The last sequence number given to each key's events. Taking the next one locks the key's row until
-- commit, so one key's events commit in sequence order. Outlives the demo reset and the outbox's own
-- retention, so a key's sequence never restarts.
CREATE TABLE outbox_sequences (
    topic         TEXT NOT NULL,
    message_key   TEXT NOT NULL,
    last_sequence BIGINT NOT NULL,
    PRIMARY KEY (topic, message_key)
);

-- The parked rows an operator has to look at (the relay's gauge counts them).
CREATE INDEX outbox_events_parked ON outbox_events (parked_at) WHERE parked_at IS NOT NULL;
