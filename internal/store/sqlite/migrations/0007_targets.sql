-- Occupancy targets of a park (§4), e.g. 去化率 60 % by 2025-06-30.
CREATE TABLE occupancy_targets (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    metric      TEXT NOT NULL,
    basis_points INTEGER NOT NULL,
    by_date     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX occupancy_targets_park ON occupancy_targets (park_id, by_date);
