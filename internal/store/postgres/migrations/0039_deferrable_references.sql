-- Every reference may be checked at commit instead of after each statement, when a
-- transaction asks (SET CONSTRAINTS ALL DEFERRED): a restore of ParkOS's own export loads
-- tables that refer to each other (a lead's contract, a contract's lead) in any order. Every
-- other transaction still has each reference checked as before.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.conrelid::regclass AS tbl, c.conname FROM pg_constraint c
        WHERE c.contype = 'f' AND NOT c.condeferrable AND c.connamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', r.tbl, r.conname);
    END LOOP;
END $$;
