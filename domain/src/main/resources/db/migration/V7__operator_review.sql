-- Operator review of large orders: an order may wait in AWAITING_REVIEW after reserveInventory, and
-- the review (deadline, then who decided what, when and why) is kept beside it.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'RESERVED',
    'AWAITING_REVIEW', 'PAID', 'SHIPPED', 'COMPLETED', 'COMPENSATING', 'FAILED', 'CANCELLED'));

CREATE TABLE order_reviews (
    order_id    TEXT PRIMARY KEY REFERENCES orders (order_id),
    deadline    TIMESTAMPTZ NOT NULL,
    -- null while waiting; set once, by the first decision (or the deadline)
    outcome     TEXT CHECK (outcome IN ('APPROVED', 'REJECTED', 'EXPIRED')),
    note        TEXT,
    decided_by  TEXT,
    decided_at  TIMESTAMPTZ
);
-- the operators' queue: orders waiting for a decision, oldest deadline first
CREATE INDEX order_reviews_waiting ON order_reviews (deadline) WHERE outcome IS NULL;
