-- A review the order's cancel overtook is closed as CANCELLED, so that no cancelled order shows a
-- review still waiting (nor stays in the operators' queue, order_reviews_waiting).
ALTER TABLE order_reviews DROP CONSTRAINT order_reviews_outcome_check;
ALTER TABLE order_reviews ADD CONSTRAINT order_reviews_outcome_check
    CHECK (outcome IN ('APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'));
