-- Park versions, figure years and attached lists are kept once per statement, not once per row.
--
-- Row by row, a statement that wrote n rows of one park updated that park's version row n times
-- in one transaction. Every update leaves a row version that nothing can prune before the
-- commit, and each next update walks past all of them: n² work. A park of 3,600 units took
-- seconds to load, and a year of one park's reports the same for its figure-year row. SQLite
-- updates in place and keeps its row triggers (its migrations are unchanged).
--
-- Each trigger now sees the statement's rows as transition tables (one trigger per event, as
-- PostgreSQL requires) and raises every park, or park-year, they touch, once. Since migration
-- 0038 every child table carries park_id, so no trigger looks its park up through a parent.

CREATE FUNCTION bump_park_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE park_versions SET version = version + 1 WHERE park_id IN (SELECT park_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE park_versions SET version = version + 1 WHERE park_id IN (SELECT park_id FROM old_rows);
    ELSE
        UPDATE park_versions SET version = version + 1
        WHERE park_id IN (SELECT park_id FROM old_rows UNION SELECT park_id FROM new_rows);
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER buildings_bump ON buildings;
DROP TRIGGER floors_bump ON floors;
DROP TRIGGER units_bump ON units;
DROP TRIGGER contracts_bump ON contracts;
DROP TRIGGER holds_bump ON holds;
DROP TRIGGER unit_changes_bump ON unit_changes;
DROP TRIGGER contract_units_bump ON contract_units;
DROP TRIGGER unit_versions_bump ON unit_versions;
DROP TRIGGER unit_change_links_bump ON unit_change_links;
DROP FUNCTION bump_park_version_via();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['buildings', 'floors', 'units', 'contracts', 'holds', 'unit_changes', 'contract_units',
                             'unit_versions', 'unit_change_links'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_park_versions()', t || '_bump_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_park_versions()', t || '_bump_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_park_versions()', t || '_bump_delete', t);
    END LOOP;
END $$;

-- A report raises the figure year of its park and its period's year (migration 0026).
CREATE FUNCTION reports_raise_figure_years() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO park_figure_years (park_id, year, version, computed_version)
        SELECT DISTINCT r.park_id, p.year, 1, 0 FROM new_rows r JOIN report_periods p ON p.id = r.period_id
        ON CONFLICT (park_id, year) DO UPDATE SET version = park_figure_years.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO park_figure_years (park_id, year, version, computed_version)
        SELECT DISTINCT r.park_id, p.year, 1, 0 FROM old_rows r JOIN report_periods p ON p.id = r.period_id
        ON CONFLICT (park_id, year) DO UPDATE SET version = park_figure_years.version + 1;
    ELSE
        INSERT INTO park_figure_years (park_id, year, version, computed_version)
        SELECT DISTINCT r.park_id, p.year, 1, 0
        FROM (SELECT park_id, period_id FROM old_rows UNION SELECT park_id, period_id FROM new_rows) r
        JOIN report_periods p ON p.id = r.period_id
        ON CONFLICT (park_id, year) DO UPDATE SET version = park_figure_years.version + 1;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER reports_figures ON reports;
DROP FUNCTION reports_raise_figures();
CREATE TRIGGER reports_figures_insert AFTER INSERT ON reports REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_figure_years();
CREATE TRIGGER reports_figures_update AFTER UPDATE ON reports REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_figure_years();
CREATE TRIGGER reports_figures_delete AFTER DELETE ON reports REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_figure_years();

-- The attached lists kept on their owners' rows (migration 0017), once per statement too, and
-- only where the list changed: an owner written with its list already right (parkos gen writes
-- units, enterprises and parks so) is not written again.
-- TG_ARGV: the owning table, its list column, this table's owner key and value columns.
CREATE FUNCTION refresh_attached_lists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owners text[];
    list text := format('(SELECT string_agg(a.%1$I, '','' ORDER BY a.%1$I) FROM %2$I a WHERE a.%3$I = o.id)',
        TG_ARGV[3], TG_TABLE_NAME, TG_ARGV[2]);
BEGIN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM %I', TG_ARGV[2],
        CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END) INTO owners;
    -- The owners by key (= ANY of a bound array walks the primary key), never by a join the
    -- planner might run as a scan of the whole owner table.
    EXECUTE format('UPDATE %I o SET %I = %s WHERE o.id = ANY ($1) AND o.%I IS DISTINCT FROM %s',
        TG_ARGV[0], TG_ARGV[1], list, TG_ARGV[1], list) USING owners;
    RETURN NULL;
END $$;

DROP TRIGGER unit_neighbours_list ON unit_neighbours;
DROP TRIGGER enterprise_tags_list ON enterprise_tags;
DROP TRIGGER enterprise_chain_nodes_list ON enterprise_chain_nodes;
DROP TRIGGER park_chain_nodes_list ON park_chain_nodes;
DROP FUNCTION refresh_attached_list();

DO $$
DECLARE
    l text[];
BEGIN
    FOREACH l SLICE 1 IN ARRAY ARRAY[
        ['unit_neighbours', 'units', 'neighbour_list', 'unit_id', 'neighbour_id'],
        ['enterprise_tags', 'enterprises', 'tag_list', 'enterprise_id', 'tag'],
        ['enterprise_chain_nodes', 'enterprises', 'chain_node_list', 'enterprise_id', 'node_id'],
        ['park_chain_nodes', 'parks', 'leading_node_list', 'park_id', 'node_id']] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION refresh_attached_lists(%L, %L, %L, %L)', l[1] || '_list_insert', l[1], l[2], l[3], l[4], l[5]);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION refresh_attached_lists(%L, %L, %L, %L)', l[1] || '_list_delete', l[1], l[2], l[3], l[4], l[5]);
    END LOOP;
END $$;
