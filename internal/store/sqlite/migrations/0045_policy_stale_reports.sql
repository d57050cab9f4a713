-- An enterprise's year facts, all that policy matching reads of reports, are made from the
-- reports of each year (indicator.YearOf): a year is complete when every report expected of it
-- is approved, and its figures are the approved ones. So they change when a report enters or
-- leaves 'approved', and when a year gains, loses or moves a report; not when a report is
-- submitted or returned. Marking every status change made a 100,000-row import leave 100,000
-- enterprises for the policy worker to judge again to no effect, and cost the import 0.7 s;
-- opening a period marked no one, so a year that had been complete stayed so in the facts
-- until its new reports were first submitted.
DROP TRIGGER policy_stale_report;
CREATE TRIGGER policy_stale_report AFTER UPDATE OF status, period_id, park_id, enterprise_id ON reports
WHEN (OLD.status = 'approved') <> (NEW.status = 'approved') OR OLD.period_id <> NEW.period_id OR OLD.park_id <> NEW.park_id
    OR OLD.enterprise_id <> NEW.enterprise_id
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (OLD.enterprise_id), (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_report_insert AFTER INSERT ON reports
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_report_delete AFTER DELETE ON reports
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (OLD.enterprise_id);
END;
-- A period moved to another year or kind moves its reports with it.
CREATE TRIGGER policy_stale_period AFTER UPDATE OF year, kind, seq ON report_periods
WHEN OLD.year <> NEW.year OR OLD.kind <> NEW.kind OR OLD.seq <> NEW.seq
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) SELECT enterprise_id FROM reports WHERE period_id = NEW.id;
END;
