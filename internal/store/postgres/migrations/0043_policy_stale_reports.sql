-- An enterprise's year facts, all that policy matching reads of reports, are made from the
-- reports of each year (indicator.YearOf): a year is complete when every report expected of it
-- is approved, and its figures are the approved ones. So they change when a report enters or
-- leaves 'approved', and when a year gains, loses or moves a report; not when a report is
-- submitted or returned. Marking every status change made a 100,000-row import leave 100,000
-- enterprises for the policy worker to judge again to no effect; opening a period marked no
-- one, so a year that had been complete stayed so in the facts until its new reports were first
-- submitted. Reports come and go a period (or a generated data set) at a time, so those are
-- marked once a statement, as in 0040.
DROP TRIGGER policy_stale_report ON reports;
CREATE FUNCTION policy_report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO policy_stale (enterprise_id) SELECT DISTINCT e FROM (VALUES (OLD.enterprise_id), (NEW.enterprise_id)) v (e)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER policy_stale_report AFTER UPDATE OF status, period_id, park_id, enterprise_id ON reports
    FOR EACH ROW WHEN ((OLD.status = 'approved') <> (NEW.status = 'approved') OR OLD.period_id <> NEW.period_id
        OR OLD.park_id <> NEW.park_id OR OLD.enterprise_id <> NEW.enterprise_id)
    EXECUTE FUNCTION policy_report_changed();
-- Both statement triggers name their transition table changed_rows, so one function serves.
CREATE FUNCTION policy_reports_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO policy_stale (enterprise_id) SELECT DISTINCT enterprise_id FROM changed_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER policy_stale_reports_added AFTER INSERT ON reports
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_reports_added_or_removed();
CREATE TRIGGER policy_stale_reports_removed AFTER DELETE ON reports
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_reports_added_or_removed();
-- A period moved to another year or kind moves its reports with it.
CREATE FUNCTION policy_period_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO policy_stale (enterprise_id) SELECT DISTINCT enterprise_id FROM reports WHERE period_id = NEW.id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER policy_stale_period AFTER UPDATE OF year, kind, seq ON report_periods
    FOR EACH ROW WHEN (OLD.year <> NEW.year OR OLD.kind <> NEW.kind OR OLD.seq <> NEW.seq)
    EXECUTE FUNCTION policy_period_moved();
