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

CREATE TRIGGER unit_neighbours_list_insert AFTER INSERT ON unit_neighbours
BEGIN
    UPDATE units SET neighbour_list = (SELECT string_agg(neighbour_id, ',' ORDER BY neighbour_id)
        FROM unit_neighbours WHERE unit_id = NEW.unit_id) WHERE id = NEW.unit_id;
END;
CREATE TRIGGER unit_neighbours_list_delete AFTER DELETE ON unit_neighbours
BEGIN
    UPDATE units SET neighbour_list = (SELECT string_agg(neighbour_id, ',' ORDER BY neighbour_id)
        FROM unit_neighbours WHERE unit_id = OLD.unit_id) WHERE id = OLD.unit_id;
END;
CREATE TRIGGER enterprise_tags_list_insert AFTER INSERT ON enterprise_tags
BEGIN
    UPDATE enterprises SET tag_list = (SELECT string_agg(tag, ',' ORDER BY tag)
        FROM enterprise_tags WHERE enterprise_id = NEW.enterprise_id) WHERE id = NEW.enterprise_id;
END;
CREATE TRIGGER enterprise_tags_list_delete AFTER DELETE ON enterprise_tags
BEGIN
    UPDATE enterprises SET tag_list = (SELECT string_agg(tag, ',' ORDER BY tag)
        FROM enterprise_tags WHERE enterprise_id = OLD.enterprise_id) WHERE id = OLD.enterprise_id;
END;
CREATE TRIGGER enterprise_chain_nodes_list_insert AFTER INSERT ON enterprise_chain_nodes
BEGIN
    UPDATE enterprises SET chain_node_list = (SELECT string_agg(node_id, ',' ORDER BY node_id)
        FROM enterprise_chain_nodes WHERE enterprise_id = NEW.enterprise_id) WHERE id = NEW.enterprise_id;
END;
CREATE TRIGGER enterprise_chain_nodes_list_delete AFTER DELETE ON enterprise_chain_nodes
BEGIN
    UPDATE enterprises SET chain_node_list = (SELECT string_agg(node_id, ',' ORDER BY node_id)
        FROM enterprise_chain_nodes WHERE enterprise_id = OLD.enterprise_id) WHERE id = OLD.enterprise_id;
END;
CREATE TRIGGER park_chain_nodes_list_insert AFTER INSERT ON park_chain_nodes
BEGIN
    UPDATE parks SET leading_node_list = (SELECT string_agg(node_id, ',' ORDER BY node_id)
        FROM park_chain_nodes WHERE park_id = NEW.park_id) WHERE id = NEW.park_id;
END;
CREATE TRIGGER park_chain_nodes_list_delete AFTER DELETE ON park_chain_nodes
BEGIN
    UPDATE parks SET leading_node_list = (SELECT string_agg(node_id, ',' ORDER BY node_id)
        FROM park_chain_nodes WHERE park_id = OLD.park_id) WHERE id = OLD.park_id;
END;

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

CREATE TRIGGER park_enterprises_new AFTER INSERT ON enterprises WHEN NEW.park_id IS NOT NULL
BEGIN
    INSERT INTO park_enterprises (park_id, enterprise_id, name) VALUES (NEW.park_id, NEW.id, NEW.name);
END;
CREATE TRIGGER park_enterprises_rename AFTER UPDATE OF name ON enterprises
BEGIN
    UPDATE park_enterprises SET name = NEW.name WHERE enterprise_id = NEW.id;
END;
CREATE TRIGGER park_enterprises_move AFTER UPDATE OF park_id ON enterprises
BEGIN
    DELETE FROM park_enterprises WHERE park_id = OLD.park_id AND enterprise_id = OLD.id
        AND NOT EXISTS (SELECT 1 FROM residencies r WHERE r.enterprise_id = OLD.id AND r.park_id = OLD.park_id);
    INSERT OR IGNORE INTO park_enterprises (park_id, enterprise_id, name)
        SELECT NEW.park_id, NEW.id, NEW.name WHERE NEW.park_id IS NOT NULL;
END;
CREATE TRIGGER park_enterprises_residency_insert AFTER INSERT ON residencies
BEGIN
    INSERT OR IGNORE INTO park_enterprises (park_id, enterprise_id, name)
        SELECT NEW.park_id, e.id, e.name FROM enterprises e WHERE e.id = NEW.enterprise_id;
END;
CREATE TRIGGER park_enterprises_residency_update AFTER UPDATE OF park_id, enterprise_id ON residencies
BEGIN
    DELETE FROM park_enterprises WHERE park_id = OLD.park_id AND enterprise_id = OLD.enterprise_id
        AND NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = OLD.enterprise_id AND e.park_id = OLD.park_id)
        AND NOT EXISTS (SELECT 1 FROM residencies r WHERE r.enterprise_id = OLD.enterprise_id AND r.park_id = OLD.park_id);
    INSERT OR IGNORE INTO park_enterprises (park_id, enterprise_id, name)
        SELECT NEW.park_id, e.id, e.name FROM enterprises e WHERE e.id = NEW.enterprise_id;
END;
CREATE TRIGGER park_enterprises_residency_delete AFTER DELETE ON residencies
BEGIN
    DELETE FROM park_enterprises WHERE park_id = OLD.park_id AND enterprise_id = OLD.enterprise_id
        AND NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = OLD.enterprise_id AND e.park_id = OLD.park_id)
        AND NOT EXISTS (SELECT 1 FROM residencies r WHERE r.enterprise_id = OLD.enterprise_id AND r.park_id = OLD.park_id);
END;
