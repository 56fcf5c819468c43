-- Fault injection for the end-to-end suites (devtools only; never part of the production schema).
-- A row makes the named activity fail `remaining` more times, before it runs or after its
-- transaction committed (the crash between commit and report), or, for CRASH rows, makes the
-- process that reaches the named point die on the spot, like a kill -9 there.
CREATE TABLE IF NOT EXISTS injected_faults (
    id         BIGSERIAL PRIMARY KEY,
    activity   TEXT NOT NULL,
    order_id   TEXT,
    phase      TEXT NOT NULL CHECK (phase IN ('BEFORE', 'AFTER_COMMIT', 'CRASH')),
    remaining  INTEGER NOT NULL CHECK (remaining >= 0),
    fired      INTEGER NOT NULL DEFAULT 0
);
