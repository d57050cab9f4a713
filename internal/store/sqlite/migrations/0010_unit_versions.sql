-- A unit's kind, areas and leasable flag as they were from each day on (SPEC §2): a change
-- takes effect on a date and keeps what was before, so figures for past days never change.
-- The units row keeps the values as last edited; figures on a day read the version in force.
CREATE TABLE unit_versions (
    unit_id     TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    valid_from  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    gross_area  INTEGER NOT NULL,
    usable_area INTEGER NOT NULL,
    leasable    BOOLEAN NOT NULL,
    PRIMARY KEY (unit_id, valid_from)
);

INSERT INTO unit_versions (unit_id, valid_from, kind, gross_area, usable_area, leasable)
SELECT id, valid_from, kind, gross_area, usable_area, leasable FROM units;
