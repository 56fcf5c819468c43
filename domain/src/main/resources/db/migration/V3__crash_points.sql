-- A CRASH row makes the process that reaches the named point die on the spot (Runtime.halt), like
-- a kill -9 there: used to prove the api can die between starting a workflow and writing the order.
ALTER TABLE injected_faults DROP CONSTRAINT injected_faults_phase_check;
ALTER TABLE injected_faults ADD CONSTRAINT injected_faults_phase_check
    CHECK (phase IN ('BEFORE', 'AFTER_COMMIT', 'CRASH'));
