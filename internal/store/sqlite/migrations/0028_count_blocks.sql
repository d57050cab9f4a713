-- The count indicators (§6: 国家高新技术企业, 上市公司, 独角兽, 专精特新"小巨人", scientist-founded
-- companies) summed in the blocks of migration 0026: an enterprise-year counts 1 when it holds
-- the qualification valid on 31 December (or has the founder flag). Qualifications and the flag
-- now raise the versions of the park-years of the enterprise's reports, and every kept block is
-- computed again.
ALTER TABLE park_figure_blocks ADD COLUMN high_tech_enterprises INTEGER;
ALTER TABLE park_figure_blocks ADD COLUMN listed_enterprises INTEGER;
ALTER TABLE park_figure_blocks ADD COLUMN unicorns INTEGER;
ALTER TABLE park_figure_blocks ADD COLUMN little_giants INTEGER;
ALTER TABLE park_figure_blocks ADD COLUMN scientist_founded INTEGER;
UPDATE park_figure_years SET computed_version = 0;

CREATE TRIGGER qualifications_figures_insert AFTER INSERT ON qualifications
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.enterprise_id);
END;
CREATE TRIGGER qualifications_figures_update AFTER UPDATE ON qualifications
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id IN (OLD.enterprise_id, NEW.enterprise_id));
END;
CREATE TRIGGER qualifications_figures_delete AFTER DELETE ON qualifications
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = OLD.enterprise_id);
END;
CREATE TRIGGER enterprises_figures_founder AFTER UPDATE OF scientist_founded ON enterprises
BEGIN
    UPDATE park_figure_years SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM reports WHERE enterprise_id = NEW.id);
END;
