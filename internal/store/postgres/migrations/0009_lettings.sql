-- The days a signed contract really lets each unit (NULL for drafts and for rows cut to nothing
-- by a termination), kept beside the contract unit so that the rule "a unit is never let twice
-- on one day" is a constraint of the database, not only a check in code. btree_gist lets one
-- exclusion constraint compare the unit with = and the days with &&.
ALTER TABLE contract_units ADD COLUMN let_from DATE;
ALTER TABLE contract_units ADD COLUMN let_to DATE;

UPDATE contract_units cu SET let_from = cu.from_on,
    let_to = LEAST(cu.to_on, COALESCE(LEAST(k.terminated_on, k.end_on), k.end_on))
FROM contracts k WHERE k.id = cu.contract_id AND k.status <> 'draft';
UPDATE contract_units SET let_from = NULL, let_to = NULL WHERE let_to < let_from;

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
ALTER TABLE contract_units ADD CONSTRAINT contract_units_one_letting_per_day
    EXCLUDE USING gist (unit_id WITH =, daterange(let_from, let_to, '[]') WITH &&) WHERE (let_from IS NOT NULL);

-- The audit trail can be neither replaced nor emptied.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
