-- The attached-list triggers of 0017 wrote string_agg(… ORDER BY …), which SQLite reads only
-- from 3.44 on: an older sqlite3 shell or backup tool refused the whole file ("malformed database
-- schema"). They are made again with group_concat, readable by any SQLite; the store sorts each
-- list as it reads it, so the order no longer depends on the aggregate.
DROP TRIGGER unit_neighbours_list_insert;
DROP TRIGGER unit_neighbours_list_delete;
DROP TRIGGER enterprise_tags_list_insert;
DROP TRIGGER enterprise_tags_list_delete;
DROP TRIGGER enterprise_chain_nodes_list_insert;
DROP TRIGGER enterprise_chain_nodes_list_delete;
DROP TRIGGER park_chain_nodes_list_insert;
DROP TRIGGER park_chain_nodes_list_delete;

CREATE TRIGGER unit_neighbours_list_insert AFTER INSERT ON unit_neighbours
BEGIN
    UPDATE units SET neighbour_list = (SELECT group_concat(neighbour_id, ',')
        FROM unit_neighbours WHERE unit_id = NEW.unit_id) WHERE id = NEW.unit_id;
END;
CREATE TRIGGER unit_neighbours_list_delete AFTER DELETE ON unit_neighbours
BEGIN
    UPDATE units SET neighbour_list = (SELECT group_concat(neighbour_id, ',')
        FROM unit_neighbours WHERE unit_id = OLD.unit_id) WHERE id = OLD.unit_id;
END;
CREATE TRIGGER enterprise_tags_list_insert AFTER INSERT ON enterprise_tags
BEGIN
    UPDATE enterprises SET tag_list = (SELECT group_concat(tag, ',')
        FROM enterprise_tags WHERE enterprise_id = NEW.enterprise_id) WHERE id = NEW.enterprise_id;
END;
CREATE TRIGGER enterprise_tags_list_delete AFTER DELETE ON enterprise_tags
BEGIN
    UPDATE enterprises SET tag_list = (SELECT group_concat(tag, ',')
        FROM enterprise_tags WHERE enterprise_id = OLD.enterprise_id) WHERE id = OLD.enterprise_id;
END;
CREATE TRIGGER enterprise_chain_nodes_list_insert AFTER INSERT ON enterprise_chain_nodes
BEGIN
    UPDATE enterprises SET chain_node_list = (SELECT group_concat(node_id, ',')
        FROM enterprise_chain_nodes WHERE enterprise_id = NEW.enterprise_id) WHERE id = NEW.enterprise_id;
END;
CREATE TRIGGER enterprise_chain_nodes_list_delete AFTER DELETE ON enterprise_chain_nodes
BEGIN
    UPDATE enterprises SET chain_node_list = (SELECT group_concat(node_id, ',')
        FROM enterprise_chain_nodes WHERE enterprise_id = OLD.enterprise_id) WHERE id = OLD.enterprise_id;
END;
CREATE TRIGGER park_chain_nodes_list_insert AFTER INSERT ON park_chain_nodes
BEGIN
    UPDATE parks SET leading_node_list = (SELECT group_concat(node_id, ',')
        FROM park_chain_nodes WHERE park_id = NEW.park_id) WHERE id = NEW.park_id;
END;
CREATE TRIGGER park_chain_nodes_list_delete AFTER DELETE ON park_chain_nodes
BEGIN
    UPDATE parks SET leading_node_list = (SELECT group_concat(node_id, ',')
        FROM park_chain_nodes WHERE park_id = OLD.park_id) WHERE id = OLD.park_id;
END;
