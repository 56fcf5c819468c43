-- reserveInventory as one server-side call. The steps are those InventoryService.reserve used to send
-- as eight statements: under one hot SKU the round trips, not the row lock, set the pace (./run bench
-- hot-sku, README Performance). Called in autocommit, the call is its own transaction: a raised
-- error rolls back everything it wrote.

-- Refuses a line the stock cannot cover: SQLSTATE OR002 unknown SKU, OR001 out of stock
-- (InventoryService turns both into business refusals).
CREATE FUNCTION refuse_unless_covered(p_sku TEXT, p_quantity INTEGER, p_available INTEGER)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    IF p_available IS NULL THEN
        RAISE EXCEPTION 'Unknown SKU %', p_sku USING ERRCODE = 'OR002';
    ELSIF p_available < p_quantity THEN
        RAISE EXCEPTION '%: % requested, % available', p_sku, p_quantity, p_available USING ERRCODE = 'OR001';
    END IF;
END
$$;

-- Returns the attempt that made the reservation (a repeat returns the first one's), 0 when a release
-- already fenced the order off, and -1 when the order row does not exist yet (the api died before
-- writing it): the caller writes the row from the workflow input and calls again.
-- Step names are the workflow's activity names (SagaStep).
CREATE FUNCTION reserve_inventory(p_order_id TEXT, p_attempt INTEGER, p_skus TEXT[], p_quantities INTEGER[])
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    previous_attempt INTEGER;
    line RECORD;
BEGIN
    -- The same lock every step and compensation of the order takes first (StepLedger.lockOrder).
    PERFORM pg_advisory_xact_lock(hashtextextended(p_order_id, 0));
    -- A release fences the order off (0); a reservation already made is repeated (its attempt).
    SELECT CASE WHEN step = 'releaseInventory' THEN 0 ELSE attempt END INTO previous_attempt
    FROM order_steps WHERE order_id = p_order_id AND step IN ('releaseInventory', 'reserveInventory')
    ORDER BY step = 'releaseInventory' DESC LIMIT 1;
    IF FOUND THEN
        RETURN previous_attempt;
    END IF;

    -- Order-local writes before the stock, so a hot product row stays locked only from its UPDATE to
    -- the end of this call.
    UPDATE orders SET status = 'RESERVED', updated_at = now() WHERE order_id = p_order_id;
    IF NOT FOUND THEN
        -- Refuse what can be refused before the caller writes the row: order_items' foreign key
        -- would reject an unknown SKU on every retry. Unlocked, so the stock is re-checked below.
        PERFORM refuse_unless_covered(l.sku, l.quantity, p.available)
        FROM unnest(p_skus, p_quantities) AS l(sku, quantity) LEFT JOIN products p ON p.sku = l.sku;
        RETURN -1;
    END IF;
    INSERT INTO order_steps (order_id, step, attempt, took_effect)
    VALUES (p_order_id, 'reserveInventory', p_attempt, TRUE);

    -- The authoritative check, in SKU order (the global lock order): PostgreSQL re-checks
    -- available >= q on the newest row version after any wait, so stock is never oversold.
    FOR line IN
        SELECT l.sku, l.quantity FROM unnest(p_skus, p_quantities) AS l(sku, quantity) ORDER BY l.sku
    LOOP
        UPDATE products
        SET available = available - line.quantity, reserved = reserved + line.quantity, updated_at = now()
        WHERE sku = line.sku AND available >= line.quantity;
        IF NOT FOUND THEN
            PERFORM refuse_unless_covered(line.sku, line.quantity,
                (SELECT available FROM products WHERE sku = line.sku));
            -- Released between the UPDATE and the read: an ordinary error, Temporal retries.
            RAISE EXCEPTION '%: stock changed during the reservation, retry', line.sku;
        END IF;
    END LOOP;
    RETURN p_attempt;
END
$$;
