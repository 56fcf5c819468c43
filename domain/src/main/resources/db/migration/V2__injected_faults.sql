-- Fault injection for the reliability and replay suites: a workers process started with
-- ORDERS_FAULT_INJECTION=true fails the named activity `remaining` more times, either before it
-- does its work or after its transaction committed (the crash between commit and report).
-- Unused, and never read, when fault injection is off (the default).
CREATE TABLE injected_faults (
    id         BIGSERIAL PRIMARY KEY,
    activity   TEXT NOT NULL,
    order_id   TEXT,
    phase      TEXT NOT NULL CHECK (phase IN ('BEFORE', 'AFTER_COMMIT')),
    remaining  INTEGER NOT NULL CHECK (remaining >= 0),
    fired      INTEGER NOT NULL DEFAULT 0
);
