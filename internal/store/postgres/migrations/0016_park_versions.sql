-- A version per park, raised in the same transaction as every write that changes what the park's
-- stack plan or occupancy figures are computed from: its buildings, floors, units and their
-- versions and lineage, its contracts and their units, holds, leads (a hold shows the lead's
-- company) and the names of its tenants. The store caches those computations per park and
-- version, so a process never serves figures older than the park's last write, whichever
-- process made it.
CREATE TABLE park_versions (
    park_id TEXT PRIMARY KEY REFERENCES parks (id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
INSERT INTO park_versions (park_id, version) SELECT id, 0 FROM parks;

CREATE FUNCTION park_versions_new_park() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO park_versions (park_id, version) VALUES (NEW.id, 0);
    RETURN NULL;
END $$;
CREATE TRIGGER park_versions_new_park AFTER INSERT ON parks FOR EACH ROW EXECUTE FUNCTION park_versions_new_park();

-- Rows that carry their park.
CREATE FUNCTION bump_park_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE park_versions SET version = version + 1 WHERE park_id = OLD.park_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.park_id IS DISTINCT FROM OLD.park_id) THEN
        UPDATE park_versions SET version = version + 1 WHERE park_id = NEW.park_id;
    END IF;
    RETURN NULL;
END $$;

-- Rows that name their park through another table (TG_ARGV: table, key column of this row).
CREATE FUNCTION bump_park_version_via() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    EXECUTE format('UPDATE park_versions SET version = version + 1 WHERE park_id = (SELECT park_id FROM %I WHERE id = ($1).%I)',
        TG_ARGV[0], TG_ARGV[1]) USING r;
    RETURN NULL;
END $$;

CREATE FUNCTION bump_park_version_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        UPDATE park_versions SET version = version + 1
        WHERE park_id IN (SELECT DISTINCT park_id FROM contracts WHERE enterprise_id = NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER buildings_bump AFTER INSERT OR UPDATE OR DELETE ON buildings FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER floors_bump AFTER INSERT OR UPDATE OR DELETE ON floors FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER units_bump AFTER INSERT OR UPDATE OR DELETE ON units FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER contracts_bump AFTER INSERT OR UPDATE OR DELETE ON contracts FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER holds_bump AFTER INSERT OR UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER leads_bump_rename AFTER UPDATE OF company ON leads FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER unit_changes_bump AFTER INSERT OR UPDATE OR DELETE ON unit_changes FOR EACH ROW EXECUTE FUNCTION bump_park_version();
CREATE TRIGGER contract_units_bump AFTER INSERT OR UPDATE OR DELETE ON contract_units FOR EACH ROW EXECUTE FUNCTION bump_park_version_via('contracts', 'contract_id');
CREATE TRIGGER unit_versions_bump AFTER INSERT OR UPDATE OR DELETE ON unit_versions FOR EACH ROW EXECUTE FUNCTION bump_park_version_via('units', 'unit_id');
CREATE TRIGGER unit_change_links_bump AFTER INSERT OR UPDATE OR DELETE ON unit_change_links FOR EACH ROW EXECUTE FUNCTION bump_park_version_via('unit_changes', 'change_id');
CREATE TRIGGER enterprises_bump_rename AFTER UPDATE OF name ON enterprises FOR EACH ROW EXECUTE FUNCTION bump_park_version_tenant();
