-- Each park's month-end occupancy figures (§4, §12: the all-parks monthly series and occupancy as
-- an indicator), packed one row per park, computed at the park's version (migration 0016) and
-- computed again by the first read after the park's next write.
CREATE TABLE occupancy_snapshots (
    park_id     TEXT PRIMARY KEY REFERENCES parks (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    first_month TEXT NOT NULL,
    data        BYTEA NOT NULL
);
