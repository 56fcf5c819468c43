-- Delivery tracking: a confirmed order's shipment moves BOOKED -> DISPATCHED -> DELIVERED from the
-- carrier's events, or becomes LOST (and refunded) after the delivery deadline.
ALTER TABLE shipments DROP CONSTRAINT shipments_status_check;
ALTER TABLE shipments ADD CONSTRAINT shipments_status_check
    CHECK (status IN ('BOOKED', 'CANCELLED', 'DISPATCHED', 'DELIVERED', 'LOST'));
ALTER TABLE shipments ADD COLUMN status_changed_at TIMESTAMPTZ;

-- What the carrier reported, once per event id.
CREATE TABLE shipment_events (
    tracking_number  TEXT NOT NULL REFERENCES shipments (tracking_number),
    event_id         TEXT NOT NULL,
    type             TEXT NOT NULL CHECK (type IN ('DISPATCHED', 'DELIVERED')),
    occurred_at      TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tracking_number, event_id)
);

-- The refund of a lost shipment is one more step with its idempotency record.
ALTER TABLE order_steps DROP CONSTRAINT order_steps_step_check;
ALTER TABLE order_steps ADD CONSTRAINT order_steps_step_check CHECK (step IN ('reserveInventory',
    'chargePayment', 'createShipment', 'confirmOrder', 'releaseInventory', 'refundPayment',
    'cancelShipment', 'refundLostShipment'));
