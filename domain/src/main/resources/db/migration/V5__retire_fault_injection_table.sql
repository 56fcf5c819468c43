-- V2 and V3 once put the test suites' fault-injection table into the production schema. Fault
-- injection now lives in the devtools module, with its own migration location and history table
-- (db/faults, fault_injection_schema_history), so production databases drop the table. V2 and V3
-- stay as they were applied: a migration that ran is never edited.
DROP TABLE IF EXISTS injected_faults;
