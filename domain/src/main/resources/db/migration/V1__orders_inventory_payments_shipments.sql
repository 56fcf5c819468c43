-- Catalog and stock. Stock only moves under a row lock; the CHECKs are the backstop.
CREATE TABLE products (
    sku         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    price       NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
    available   INTEGER NOT NULL CHECK (available >= 0),
    reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    sold        INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE customers (
    customer_id     TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    balance         NUMERIC(14, 2) NOT NULL CHECK (balance >= 0),
    loyalty_points  BIGINT NOT NULL DEFAULT 0 CHECK (loyalty_points >= 0),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    order_id          TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL REFERENCES customers (customer_id),
    status            TEXT NOT NULL CHECK (status IN ('PENDING', 'RESERVED', 'PAID', 'SHIPPED',
                          'COMPLETED', 'COMPENSATING', 'FAILED', 'CANCELLED')),
    total             NUMERIC(14, 2) NOT NULL CHECK (total >= 0),
    currency          CHAR(3) NOT NULL,
    ship_name         TEXT NOT NULL,
    ship_line1        TEXT NOT NULL,
    ship_city         TEXT NOT NULL,
    ship_postal_code  TEXT NOT NULL,
    ship_country      CHAR(2) NOT NULL,
    request_hash      TEXT NOT NULL,
    idempotency_key   TEXT UNIQUE,
    failure_step      TEXT,
    failure_reason    TEXT,
    failure_message   TEXT,
    failure_attempts  INTEGER,
    loyalty_points_awarded BIGINT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_newest ON orders (created_at DESC, order_id DESC);
CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, order_id DESC);
CREATE INDEX orders_by_status ON orders (status, created_at DESC, order_id DESC);

CREATE TABLE order_items (
    order_id    TEXT NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    sku         TEXT NOT NULL REFERENCES products (sku),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  NUMERIC(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, sku)
);

-- Idempotency records: one row per (order, step), committed in the same transaction as the
-- step's effect. A compensation's row also fences off its action if that commits later, which is
-- why there is deliberately no foreign key to orders: a compensation may run before the order row
-- exists.
CREATE TABLE order_steps (
    order_id     TEXT NOT NULL,
    step         TEXT NOT NULL CHECK (step IN ('reserveInventory', 'chargePayment', 'createShipment',
                     'confirmOrder', 'releaseInventory', 'refundPayment', 'cancelShipment')),
    attempt      INTEGER NOT NULL CHECK (attempt >= 1),
    took_effect  BOOLEAN NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, step)
);

CREATE TABLE payments (
    order_id     TEXT PRIMARY KEY REFERENCES orders (order_id),
    customer_id  TEXT NOT NULL REFERENCES customers (customer_id),
    amount       NUMERIC(14, 2) NOT NULL CHECK (amount >= 0),
    status       TEXT NOT NULL CHECK (status IN ('CAPTURED', 'REFUNDED')),
    captured_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    refunded_at  TIMESTAMPTZ
);

CREATE TABLE shipments (
    order_id         TEXT PRIMARY KEY REFERENCES orders (order_id),
    tracking_number  TEXT NOT NULL UNIQUE,
    carrier          TEXT NOT NULL,
    country          CHAR(2) NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('BOOKED', 'CANCELLED')),
    booked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    cancelled_at     TIMESTAMPTZ
);
