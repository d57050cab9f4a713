-- A report's status matters to policy matching only when it enters or leaves 'approved': an
-- enterprise's year facts are made from approved reports alone (indicator.YearOf). Marking the
-- enterprise of every report that was submitted or returned made a 100,000-row import leave
-- 100,000 enterprises for the policy worker to judge again to no effect.
DROP TRIGGER policy_stale_report ON reports;
CREATE TRIGGER policy_stale_report AFTER UPDATE OF status ON reports
    FOR EACH ROW WHEN ((OLD.status = 'approved') <> (NEW.status = 'approved')) EXECUTE FUNCTION policy_facts_changed();
