-- Whether a unit has more than one version, so that figures read versions only for the few
-- units that changed shape instead of probing every unit's.
ALTER TABLE units ADD COLUMN reshaped BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE units SET reshaped = TRUE WHERE id IN (SELECT unit_id FROM unit_versions GROUP BY unit_id HAVING COUNT(*) > 1);
