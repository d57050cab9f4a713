-- The days a signed contract really lets each unit (NULL for drafts and for rows cut to nothing
-- by a termination), kept beside the contract unit so that the rule "a unit is never let twice
-- on one day" is enforced by the database too: SQLite has no exclusion constraints, so a
-- trigger refuses an overlapping letting.
ALTER TABLE contract_units ADD COLUMN let_from DATE;
ALTER TABLE contract_units ADD COLUMN let_to DATE;

UPDATE contract_units SET let_from = from_on,
    let_to = min(to_on, (SELECT CASE WHEN k.terminated_on IS NOT NULL AND k.terminated_on < k.end_on
        THEN k.terminated_on ELSE k.end_on END FROM contracts k WHERE k.id = contract_units.contract_id))
WHERE (SELECT k.status FROM contracts k WHERE k.id = contract_units.contract_id) <> 'draft';
UPDATE contract_units SET let_from = NULL, let_to = NULL WHERE let_to < let_from;

CREATE INDEX contract_units_letting ON contract_units (unit_id, let_from, let_to);

CREATE TRIGGER contract_units_one_letting_per_day BEFORE INSERT ON contract_units
WHEN NEW.let_from IS NOT NULL AND EXISTS (SELECT 1 FROM contract_units o WHERE o.unit_id = NEW.unit_id
    AND o.let_from IS NOT NULL AND o.let_from <= NEW.let_to AND o.let_to >= NEW.let_from)
BEGIN
    SELECT RAISE(ABORT, 'contract_units_one_letting_per_day: the unit is already let on one of these days');
END;
CREATE TRIGGER contract_units_one_letting_per_day_update BEFORE UPDATE OF let_from, let_to, unit_id ON contract_units
WHEN NEW.let_from IS NOT NULL AND EXISTS (SELECT 1 FROM contract_units o WHERE o.unit_id = NEW.unit_id
    AND o.rowid <> OLD.rowid AND o.let_from IS NOT NULL AND o.let_from <= NEW.let_to AND o.let_to >= NEW.let_from)
BEGIN
    SELECT RAISE(ABORT, 'contract_units_one_letting_per_day: the unit is already let on one of these days');
END;

-- The audit trail cannot be rewritten: INSERT OR REPLACE would delete the old row without
-- firing the delete trigger, so an insert over an existing id is refused before it happens.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
