-- The authority's figures at scale (§6.1, §12): each park-year's complete and incomplete
-- enterprise-years summed into blocks, one per (complete, leading industry, set of measures
-- given), so a group's values are computed from a few rows per park instead of every report.
-- park_figure_years.version is raised in the same transaction as every write that changes what
-- the blocks are computed from (reports, periods, an enterprise's industry or chain nodes, a
-- park's leading industries); blocks computed at an older version are recomputed before use.
CREATE TABLE park_figure_years (
    park_id          TEXT NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
    year             INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    computed_version INTEGER NOT NULL,
    PRIMARY KEY (park_id, year)
);
CREATE INDEX park_figure_years_year ON park_figure_years (year, park_id);

CREATE TABLE park_figure_blocks (
    park_id                   TEXT NOT NULL,
    year                      INTEGER NOT NULL,
    complete                  BOOLEAN NOT NULL,
    in_leading                BOOLEAN NOT NULL,
    enterprises               INTEGER NOT NULL,
    revenue                   INTEGER,
    industrial_output         INTEGER,
    rd_expense                INTEGER,
    tax                       INTEGER,
    employees                 INTEGER,
    rd_staff                  INTEGER,
    invention_patents_granted INTEGER,
    invention_patents_held    INTEGER,
    other_patents_granted     INTEGER,
    financing                 INTEGER,
    exports                   INTEGER,
    FOREIGN KEY (park_id, year) REFERENCES park_figure_years (park_id, year) ON DELETE CASCADE
);
CREATE INDEX park_figure_blocks_year ON park_figure_blocks (year, park_id);

INSERT INTO park_figure_years (park_id, year, version, computed_version)
SELECT DISTINCT r.park_id, p.year, 1, 0 FROM reports r JOIN report_periods p ON p.id = r.period_id;

CREATE TRIGGER reports_figures_insert AFTER INSERT ON reports
BEGIN
    INSERT INTO park_figure_years (park_id, year, version, computed_version)
    SELECT NEW.park_id, year, 1, 0 FROM report_periods WHERE id = NEW.period_id
    ON CONFLICT (park_id, year) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER reports_figures_update AFTER UPDATE ON reports
BEGIN
    INSERT INTO park_figure_years (park_id, year, version, computed_version)
    SELECT NEW.park_id, year, 1, 0 FROM report_periods WHERE id = NEW.period_id
    ON CONFLICT (park_id, year) DO UPDATE SET version = version + 1;
    UPDATE park_figure_years SET version = version + 1
    WHERE (OLD.park_id <> NEW.park_id OR OLD.period_id <> NEW.period_id)
      AND park_id = OLD.park_id AND year = (SELECT year FROM report_periods WHERE id = OLD.period_id);
END;
CREATE TRIGGER reports_figures_delete AFTER DELETE ON reports
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id = OLD.park_id AND year = (SELECT year FROM report_periods WHERE id = OLD.period_id);
END;
-- A period's reports may go with it (cascade) after its row is gone: raise the whole year.
CREATE TRIGGER report_periods_figures_delete AFTER DELETE ON report_periods
BEGIN
    UPDATE park_figure_years SET version = version + 1 WHERE year = OLD.year;
END;
CREATE TRIGGER report_periods_figures_update AFTER UPDATE OF year, kind, seq ON report_periods
BEGIN
    UPDATE park_figure_years SET version = version + 1 WHERE year IN (OLD.year, NEW.year);
END;
CREATE TRIGGER enterprises_figures_industry AFTER UPDATE OF industry_code, chain_node_list ON enterprises
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.id);
END;
CREATE TRIGGER parks_figures_leading AFTER UPDATE OF leading_node_list ON parks
BEGIN
    UPDATE park_figure_years SET version = version + 1 WHERE park_id = NEW.id;
END;
CREATE TRIGGER chain_nodes_figures_class AFTER UPDATE OF industry_code ON chain_nodes
BEGIN
    UPDATE park_figure_years SET version = version + 1;
END;
