-- The park authority's pool (§6): parks entered into it, their tier decisions with dates and
-- reasons (the row keeps the latest decision for filtering), and featured-park recognitions.
CREATE TABLE pool_entries (
    park_id    TEXT PRIMARY KEY REFERENCES parks (id),
    entered_on TEXT NOT NULL,
    tier       TEXT NOT NULL,
    tier_since TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX pool_entries_tier ON pool_entries (tier, park_id);
CREATE INDEX pool_entries_entered ON pool_entries (entered_on, park_id);

CREATE TABLE pool_tier_changes (
    id           TEXT PRIMARY KEY,
    park_id      TEXT NOT NULL REFERENCES pool_entries (park_id),
    tier         TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX pool_tier_changes_park ON pool_tier_changes (park_id, effective_on, created_at);

CREATE TABLE pool_recognitions (
    park_id TEXT NOT NULL REFERENCES pool_entries (park_id),
    year    INTEGER NOT NULL,
    PRIMARY KEY (park_id, year)
);
