-- An enterprise's year facts, all that policy matching reads of reports, are made from the
-- reports of each year (indicator.YearOf): a year is complete when every report expected of it
-- is approved, and its figures are the approved ones. So they change when a report enters or
-- leaves 'approved', and when a year gains, loses or moves a report; not when a report is
-- submitted or returned. Marking every status change made a 100,000-row import leave 100,000
-- enterprises for the policy worker to judge again to no effect; opening a period marked no
-- one, so a year that had been complete stayed so in the facts until its new reports were first
-- submitted.
DROP TRIGGER policy_stale_report ON reports;
CREATE TRIGGER policy_stale_report AFTER UPDATE OF status, period_id, park_id ON reports
    FOR EACH ROW WHEN ((OLD.status = 'approved') <> (NEW.status = 'approved') OR OLD.period_id <> NEW.period_id OR OLD.park_id <> NEW.park_id)
    EXECUTE FUNCTION policy_facts_changed();
CREATE TRIGGER policy_stale_report_change AFTER INSERT OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION policy_facts_changed();
