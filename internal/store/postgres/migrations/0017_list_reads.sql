-- What a list page shows without a second query.
--
-- 1. A row's short attached lists (a unit's neighbours, an enterprise's tags and chain nodes, a
--    park's leading chain nodes) are kept on the row as comma-separated text in order, rewritten
--    by the database whenever the list's table changes. None of those values can hold a comma
--    (tags refuse it; the others are ids and codes).
ALTER TABLE units ADD COLUMN neighbour_list TEXT;
ALTER TABLE enterprises ADD COLUMN tag_list TEXT;
ALTER TABLE enterprises ADD COLUMN chain_node_list TEXT;
ALTER TABLE parks ADD COLUMN leading_node_list TEXT;

UPDATE units SET neighbour_list = (SELECT string_agg(n.neighbour_id, ',' ORDER BY n.neighbour_id)
    FROM unit_neighbours n WHERE n.unit_id = units.id)
WHERE id IN (SELECT unit_id FROM unit_neighbours);
UPDATE enterprises SET tag_list = (SELECT string_agg(t.tag, ',' ORDER BY t.tag)
    FROM enterprise_tags t WHERE t.enterprise_id = enterprises.id)
WHERE id IN (SELECT enterprise_id FROM enterprise_tags);
UPDATE enterprises SET chain_node_list = (SELECT string_agg(n.node_id, ',' ORDER BY n.node_id)
    FROM enterprise_chain_nodes n WHERE n.enterprise_id = enterprises.id)
WHERE id IN (SELECT enterprise_id FROM enterprise_chain_nodes);
UPDATE parks SET leading_node_list = (SELECT string_agg(n.node_id, ',' ORDER BY n.node_id)
    FROM park_chain_nodes n WHERE n.park_id = parks.id)
WHERE id IN (SELECT park_id FROM park_chain_nodes);

-- TG_ARGV: the owning table, its list column, this table's owner key and value columns.
CREATE FUNCTION refresh_attached_list() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    EXECUTE format('UPDATE %I SET %I = (SELECT string_agg(%I, '','' ORDER BY %I) FROM %I WHERE %I = ($1).%I) WHERE id = ($1).%I',
        TG_ARGV[0], TG_ARGV[1], TG_ARGV[3], TG_ARGV[3], TG_TABLE_NAME, TG_ARGV[2], TG_ARGV[2], TG_ARGV[2]) USING r;
    RETURN NULL;
END $$;
CREATE TRIGGER unit_neighbours_list AFTER INSERT OR DELETE ON unit_neighbours
    FOR EACH ROW EXECUTE FUNCTION refresh_attached_list('units', 'neighbour_list', 'unit_id', 'neighbour_id');
CREATE TRIGGER enterprise_tags_list AFTER INSERT OR DELETE ON enterprise_tags
    FOR EACH ROW EXECUTE FUNCTION refresh_attached_list('enterprises', 'tag_list', 'enterprise_id', 'tag');
CREATE TRIGGER enterprise_chain_nodes_list AFTER INSERT OR DELETE ON enterprise_chain_nodes
    FOR EACH ROW EXECUTE FUNCTION refresh_attached_list('enterprises', 'chain_node_list', 'enterprise_id', 'node_id');
CREATE TRIGGER park_chain_nodes_list AFTER INSERT OR DELETE ON park_chain_nodes
    FOR EACH ROW EXECUTE FUNCTION refresh_attached_list('parks', 'leading_node_list', 'park_id', 'node_id');

-- 2. The enterprises each park sees (kept by the park, or ever resident in it) with their names,
--    so that a park's enterprise list walks one index in name order and costs the same whatever
--    the park's size. The database keeps it: a (park, enterprise) pair is refreshed whenever the
--    enterprise's park or a residency of it changes.
CREATE TABLE park_enterprises (
    park_id       TEXT NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    PRIMARY KEY (park_id, enterprise_id)
);
CREATE INDEX park_enterprises_name ON park_enterprises (park_id, name, enterprise_id);
CREATE INDEX park_enterprises_enterprise ON park_enterprises (enterprise_id);

INSERT INTO park_enterprises (park_id, enterprise_id, name)
SELECT park_id, id, name FROM enterprises WHERE park_id IS NOT NULL
UNION
SELECT r.park_id, e.id, e.name FROM residencies r JOIN enterprises e ON e.id = r.enterprise_id;

-- park_enterprise_refresh makes the pair present exactly when the enterprise is kept by the
-- park or has a residency in it.
CREATE FUNCTION park_enterprise_refresh(p TEXT, e TEXT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM park_enterprises WHERE park_id = p AND enterprise_id = e;
    INSERT INTO park_enterprises (park_id, enterprise_id, name)
    SELECT p, x.id, x.name FROM enterprises x
    WHERE x.id = e AND (x.park_id = p OR EXISTS (SELECT 1 FROM residencies r WHERE r.enterprise_id = e AND r.park_id = p));
$$;

CREATE FUNCTION park_enterprises_of_enterprise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.name IS DISTINCT FROM OLD.name THEN
            UPDATE park_enterprises SET name = NEW.name WHERE enterprise_id = NEW.id;
        END IF;
        IF OLD.park_id IS NOT NULL AND OLD.park_id IS DISTINCT FROM NEW.park_id THEN
            PERFORM park_enterprise_refresh(OLD.park_id, OLD.id);
        END IF;
    END IF;
    IF NEW.park_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.park_id IS DISTINCT FROM OLD.park_id) THEN
        PERFORM park_enterprise_refresh(NEW.park_id, NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER park_enterprises_of_enterprise AFTER INSERT OR UPDATE OF park_id, name ON enterprises
    FOR EACH ROW EXECUTE FUNCTION park_enterprises_of_enterprise();

CREATE FUNCTION park_enterprises_of_residency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM park_enterprise_refresh(OLD.park_id, OLD.enterprise_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM park_enterprise_refresh(NEW.park_id, NEW.enterprise_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER park_enterprises_of_residency AFTER INSERT OR DELETE OR UPDATE OF park_id, enterprise_id ON residencies
    FOR EACH ROW EXECUTE FUNCTION park_enterprises_of_residency();
