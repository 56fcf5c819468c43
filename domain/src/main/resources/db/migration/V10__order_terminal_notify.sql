-- The api answers "Prefer: wait" once an order's row reaches its final status, instead of
-- long-polling Temporal for the workflow's end: every such change notifies channel order_terminal
-- with the order id. PostgreSQL delivers it at commit, to the sessions that LISTEN, and drops it if
-- none does.
CREATE FUNCTION notify_order_terminal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('order_terminal', NEW.order_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER order_terminal
  AFTER UPDATE OF status ON orders
  FOR EACH ROW
  WHEN (NEW.status IN ('COMPLETED', 'FAILED', 'CANCELLED') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION notify_order_terminal();
