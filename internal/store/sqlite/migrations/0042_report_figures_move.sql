-- A report's update raised its park-year's figures and then ran a second statement that only
-- does anything when the report moved to another park or period, for every row: 100,000 of
-- them in a workbook import. That second statement is now a trigger of its own, run only when
-- the report moves. (PostgreSQL raises the figures once a statement since 0040.)
DROP TRIGGER reports_figures_update;
CREATE TRIGGER reports_figures_update AFTER UPDATE ON reports
BEGIN
    INSERT INTO park_figure_years (park_id, year, version, computed_version)
    SELECT NEW.park_id, year, 1, 0 FROM report_periods WHERE id = NEW.period_id
    ON CONFLICT (park_id, year) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER reports_figures_move AFTER UPDATE OF park_id, period_id ON reports
WHEN OLD.park_id <> NEW.park_id OR OLD.period_id <> NEW.period_id
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id = OLD.park_id AND year = (SELECT year FROM report_periods WHERE id = OLD.period_id);
END;
