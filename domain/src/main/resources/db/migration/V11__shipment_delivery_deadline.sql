-- Delivery tracking starts with the carrier's first event instead of at confirmation: the deadline a
-- shipment is tracked against is kept on its row (booking time + the order's delivery allowance), so
-- the carrier webhook can start the tracking and the deadline sweep can find a parcel never reported.
-- NULL: not tracked (booked before tracking existed, or by an order that asked for none), or tracked
-- from confirmation by a workflow the order itself started (orders of the earlier workflow shape).
ALTER TABLE shipments ADD COLUMN delivery_deadline TIMESTAMPTZ;

-- What the sweep reads: the few booked shipments past their deadline, never the delivered millions.
CREATE INDEX shipments_booked_by_deadline ON shipments (delivery_deadline)
  WHERE status = 'BOOKED' AND delivery_deadline IS NOT NULL;
