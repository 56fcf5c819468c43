-- reserveInventory run again after its order's undo began refuses as the recorded failure did, the
-- rule OrderRecord.refuseIfUndone states for the other steps: a lost workflow task runs its steps
-- again, and without this an order refused OUT_OF_STOCK and undone could reserve once stock was back.
-- Only a failure recorded at a later step lets it through (it then returns what V4's function does).
-- SQLSTATE OR003, the recorded reason in DETAIL (InventoryService turns it into a business refusal).
ALTER FUNCTION reserve_inventory(TEXT, INTEGER, TEXT[], INTEGER[]) RENAME TO reserve_inventory_once;

CREATE FUNCTION reserve_inventory(p_order_id TEXT, p_attempt INTEGER, p_skus TEXT[], p_quantities INTEGER[])
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    undone RECORD;
BEGIN
    -- The order's lock (StepLedger.lockOrder); reserve_inventory_once takes it again, which is free.
    PERFORM pg_advisory_xact_lock(hashtextextended(p_order_id, 0));
    SELECT failure_reason, failure_message, status INTO undone FROM orders
    WHERE order_id = p_order_id AND status IN ('COMPENSATING', 'FAILED', 'CANCELLED')
      AND (failure_step IS NULL OR failure_step NOT IN ('chargePayment', 'createShipment', 'confirmOrder'));
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'OR003',
            MESSAGE = coalesce(undone.failure_message, 'Order ' || p_order_id || ' is already ' || undone.status),
            DETAIL = coalesce(undone.failure_reason, 'STEP_FAILED');
    END IF;
    RETURN reserve_inventory_once(p_order_id, p_attempt, p_skus, p_quantities);
END
$$;
