-- The indicator engine (§6.1) reads the reports of one year's periods: find the periods by year,
-- then their reports by the (period_id, enterprise_id) key, instead of scanning every report.
CREATE INDEX report_periods_year ON report_periods (year, id);
