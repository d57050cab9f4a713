-- PostgreSQL's migration 0039 makes references deferrable for its restore of ParkOS's own
-- export. SQLite is backed up and restored as a whole file and needs no change; this keeps the
-- two engines' schema versions in step.
SELECT 1;
