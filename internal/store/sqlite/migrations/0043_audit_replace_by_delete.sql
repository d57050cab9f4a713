-- INSERT OR REPLACE over an audit entry is refused by audit_log_no_delete: every ParkOS
-- connection sets recursive_triggers, under which the rows a REPLACE deletes fire their delete
-- triggers. The trigger 0009 added for it ran for every row written to the trail, 1.1–1.5 s of
-- a 100,000-row import. A connection without the setting (the sqlite3 shell) can replace an
-- entry, as it can switch off foreign keys or drop these triggers.
DROP TRIGGER audit_log_no_replace;
