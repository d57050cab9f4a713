-- The authority's figures at scale (§6.1, §12): each park-year's complete and incomplete
-- enterprise-years summed into blocks, one per (complete, leading industry, set of measures
-- given), so a group's values are computed from a few rows per park instead of every report.
-- park_figure_years.version is raised in the same transaction as every write that changes what
-- the blocks are computed from (reports, periods, an enterprise's industry or chain nodes, a
-- park's leading industries); blocks computed at an older version are recomputed before use.
CREATE TABLE park_figure_years (
    park_id          TEXT NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
    year             INTEGER NOT NULL,
    version          BIGINT NOT NULL,
    computed_version BIGINT NOT NULL,
    PRIMARY KEY (park_id, year)
);
CREATE INDEX park_figure_years_year ON park_figure_years (year, park_id);

CREATE TABLE park_figure_blocks (
    park_id                   TEXT NOT NULL,
    year                      INTEGER NOT NULL,
    complete                  BOOLEAN NOT NULL,
    in_leading                BOOLEAN NOT NULL,
    enterprises               INTEGER NOT NULL,
    revenue                   BIGINT,
    industrial_output         BIGINT,
    rd_expense                BIGINT,
    tax                       BIGINT,
    employees                 BIGINT,
    rd_staff                  BIGINT,
    invention_patents_granted BIGINT,
    invention_patents_held    BIGINT,
    other_patents_granted     BIGINT,
    financing                 BIGINT,
    exports                   BIGINT,
    FOREIGN KEY (park_id, year) REFERENCES park_figure_years (park_id, year) ON DELETE CASCADE
);
CREATE INDEX park_figure_blocks_year ON park_figure_blocks (year, park_id);

INSERT INTO park_figure_years (park_id, year, version, computed_version)
SELECT DISTINCT r.park_id, p.year, 1, 0 FROM reports r JOIN report_periods p ON p.id = r.period_id;

CREATE FUNCTION raise_figure_year(park TEXT, period TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO park_figure_years (park_id, year, version, computed_version)
    SELECT park, year, 1, 0 FROM report_periods WHERE id = period
    ON CONFLICT (park_id, year) DO UPDATE SET version = park_figure_years.version + 1;
$$;

CREATE FUNCTION reports_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM raise_figure_year(OLD.park_id, OLD.period_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.park_id IS DISTINCT FROM OLD.park_id OR NEW.period_id IS DISTINCT FROM OLD.period_id)) THEN
        PERFORM raise_figure_year(NEW.park_id, NEW.period_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reports_figures AFTER INSERT OR UPDATE OR DELETE ON reports FOR EACH ROW EXECUTE FUNCTION reports_raise_figures();

-- A period's reports may go with it (cascade) after its row is gone: raise the whole year.
CREATE FUNCTION report_periods_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE park_figure_years SET version = version + 1 WHERE year = OLD.year;
    ELSIF NEW.year IS DISTINCT FROM OLD.year OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.seq IS DISTINCT FROM OLD.seq THEN
        UPDATE park_figure_years SET version = version + 1 WHERE year IN (OLD.year, NEW.year);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_periods_figures AFTER UPDATE OR DELETE ON report_periods FOR EACH ROW EXECUTE FUNCTION report_periods_raise_figures();

CREATE FUNCTION enterprises_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.industry_code IS DISTINCT FROM OLD.industry_code OR NEW.chain_node_list IS DISTINCT FROM OLD.chain_node_list THEN
        UPDATE park_figure_years SET version = version + 1
        WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enterprises_figures AFTER UPDATE OF industry_code, chain_node_list ON enterprises FOR EACH ROW EXECUTE FUNCTION enterprises_raise_figures();

CREATE FUNCTION parks_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.leading_node_list IS DISTINCT FROM OLD.leading_node_list THEN
        UPDATE park_figure_years SET version = version + 1 WHERE park_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parks_figures AFTER UPDATE OF leading_node_list ON parks FOR EACH ROW EXECUTE FUNCTION parks_raise_figures();

CREATE FUNCTION chain_nodes_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.industry_code IS DISTINCT FROM OLD.industry_code THEN
        UPDATE park_figure_years SET version = version + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER chain_nodes_figures AFTER UPDATE OF industry_code ON chain_nodes FOR EACH ROW EXECUTE FUNCTION chain_nodes_raise_figures();
