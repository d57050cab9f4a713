-- Park-level figures (§6): a park's own yearly figures, for parks whose operators are not on the
-- platform, used instead of its enterprises' sums; and park attributes the indicators need, each
-- value from a date, so a year uses the value in force at its end.
CREATE TABLE park_submissions (
    park_id      TEXT NOT NULL REFERENCES parks (id),
    year         INTEGER NOT NULL,
    figures_json TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (park_id, year)
);

CREATE TABLE park_attributes (
    id           TEXT PRIMARY KEY,
    park_id      TEXT NOT NULL REFERENCES parks (id),
    attribute    TEXT NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    effective_on TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX park_attributes_park ON park_attributes (park_id, effective_on, created_at);
