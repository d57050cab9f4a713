-- The count indicators (§6: 国家高新技术企业, 上市公司, 独角兽, 专精特新"小巨人", scientist-founded
-- companies) summed in the blocks of migration 0026: an enterprise-year counts 1 when it holds
-- the qualification valid on 31 December (or has the founder flag). Qualifications and the flag
-- now raise the versions of the park-years of the enterprise's reports, and every kept block is
-- computed again.
ALTER TABLE park_figure_blocks ADD COLUMN high_tech_enterprises BIGINT;
ALTER TABLE park_figure_blocks ADD COLUMN listed_enterprises BIGINT;
ALTER TABLE park_figure_blocks ADD COLUMN unicorns BIGINT;
ALTER TABLE park_figure_blocks ADD COLUMN little_giants BIGINT;
ALTER TABLE park_figure_blocks ADD COLUMN scientist_founded BIGINT;
UPDATE park_figure_years SET computed_version = 0;

CREATE FUNCTION qualifications_raise_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE park_figure_years SET version = version + 1
        WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = OLD.enterprise_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.enterprise_id IS DISTINCT FROM OLD.enterprise_id) THEN
        UPDATE park_figure_years SET version = version + 1
        WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.enterprise_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER qualifications_figures AFTER INSERT OR UPDATE OR DELETE ON qualifications FOR EACH ROW EXECUTE FUNCTION qualifications_raise_figures();

CREATE FUNCTION enterprises_raise_figures_founder() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.scientist_founded IS DISTINCT FROM OLD.scientist_founded THEN
        UPDATE park_figure_years SET version = version + 1
        WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enterprises_figures_founder AFTER UPDATE OF scientist_founded ON enterprises FOR EACH ROW EXECUTE FUNCTION enterprises_raise_figures_founder();
