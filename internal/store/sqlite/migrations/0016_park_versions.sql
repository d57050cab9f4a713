-- A version per park, raised in the same transaction as every write that changes what the park's
-- stack plan or occupancy figures are computed from: its buildings, floors, units and their
-- versions and lineage, its contracts and their units, holds, leads (a hold shows the lead's
-- company) and the names of its tenants. The store caches those computations per park and
-- version, so a process never serves figures older than the park's last write, whichever
-- process made it.
CREATE TABLE park_versions (
    park_id TEXT PRIMARY KEY REFERENCES parks (id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);
INSERT INTO park_versions (park_id, version) SELECT id, 0 FROM parks;

CREATE TRIGGER park_versions_new_park AFTER INSERT ON parks
BEGIN
    INSERT INTO park_versions (park_id, version) VALUES (NEW.id, 0);
END;

CREATE TRIGGER buildings_bump_insert AFTER INSERT ON buildings
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER buildings_bump_update AFTER UPDATE ON buildings
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER buildings_bump_delete AFTER DELETE ON buildings
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;

CREATE TRIGGER floors_bump_insert AFTER INSERT ON floors
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER floors_bump_update AFTER UPDATE ON floors
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER floors_bump_delete AFTER DELETE ON floors
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;

CREATE TRIGGER units_bump_insert AFTER INSERT ON units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER units_bump_update AFTER UPDATE ON units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER units_bump_delete AFTER DELETE ON units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;

CREATE TRIGGER contracts_bump_insert AFTER INSERT ON contracts
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER contracts_bump_update AFTER UPDATE ON contracts
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER contracts_bump_delete AFTER DELETE ON contracts
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;

CREATE TRIGGER holds_bump_insert AFTER INSERT ON holds
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER holds_bump_update AFTER UPDATE ON holds
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER holds_bump_delete AFTER DELETE ON holds
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;


CREATE TRIGGER unit_changes_bump_insert AFTER INSERT ON unit_changes
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER unit_changes_bump_update AFTER UPDATE ON unit_changes
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id AND OLD.park_id <> NEW.park_id;
END;
CREATE TRIGGER unit_changes_bump_delete AFTER DELETE ON unit_changes
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
END;

CREATE TRIGGER contract_units_bump_insert AFTER INSERT ON contract_units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM contracts WHERE id = NEW.contract_id);
END;
CREATE TRIGGER contract_units_bump_update AFTER UPDATE ON contract_units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM contracts WHERE id = NEW.contract_id);
END;
CREATE TRIGGER contract_units_bump_delete AFTER DELETE ON contract_units
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM contracts WHERE id = OLD.contract_id);
END;

CREATE TRIGGER unit_versions_bump_insert AFTER INSERT ON unit_versions
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM units WHERE id = NEW.unit_id);
END;
CREATE TRIGGER unit_versions_bump_update AFTER UPDATE ON unit_versions
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM units WHERE id = NEW.unit_id);
END;
CREATE TRIGGER unit_versions_bump_delete AFTER DELETE ON unit_versions
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM units WHERE id = OLD.unit_id);
END;

CREATE TRIGGER unit_change_links_bump_insert AFTER INSERT ON unit_change_links
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM unit_changes WHERE id = NEW.change_id);
END;
CREATE TRIGGER unit_change_links_bump_update AFTER UPDATE ON unit_change_links
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM unit_changes WHERE id = NEW.change_id);
END;
CREATE TRIGGER unit_change_links_bump_delete AFTER DELETE ON unit_change_links
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM unit_changes WHERE id = OLD.change_id);
END;

CREATE TRIGGER leads_bump_rename AFTER UPDATE OF company ON leads
BEGIN
    UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
END;
CREATE TRIGGER enterprises_bump_rename AFTER UPDATE OF name ON enterprises
BEGIN
    UPDATE park_versions SET version = version + 1
    WHERE park_id IN (SELECT DISTINCT park_id FROM contracts WHERE enterprise_id = NEW.id);
END;
