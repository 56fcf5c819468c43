-- Delivery tracking starts with the carrier's first event instead of at confirmation: the deadline a
-- shipment is tracked against is kept on its row (booking time + the order's delivery allowance), so
-- the carrier webhook can start the tracking and the deadline sweep can find a parcel never reported.
-- NULL: not tracked (booked before tracking existed, or by an order that asked for none), or tracked
-- from confirmation by a workflow the order itself started (orders of the earlier workflow shape).
ALTER TABLE shipments ADD COLUMN delivery_deadline TIMESTAMPTZ;

-- When the deadline sweep handed the shipment to its tracking workflow (or found one running): the
-- sweep skips it from then on, so a shipment whose tracking is still settling never blocks the rest.
ALTER TABLE shipments ADD COLUMN sweep_started_tracking_at TIMESTAMPTZ;

-- What the sweep reads: the few booked shipments past their deadline, never the delivered millions.
CREATE INDEX shipments_for_deadline_sweep ON shipments (delivery_deadline)
  WHERE status = 'BOOKED' AND delivery_deadline IS NOT NULL AND sweep_started_tracking_at IS NULL;
