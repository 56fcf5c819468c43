-- Who did what (docs/API.md, Who may call what). The principal is the access token's subject.

-- An Idempotency-Key belongs to the principal that sent it: two principals may use the same key.
ALTER TABLE orders ADD COLUMN submitted_by TEXT;
ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_key;
CREATE UNIQUE INDEX orders_idempotency_key_per_principal ON orders (submitted_by, idempotency_key);

-- Every change an operator or customer makes outside the saga (cancel, stock and price, customers,
-- demo reset), written in the transaction of the change where there is one.
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    principal  TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject, at DESC, id DESC);
