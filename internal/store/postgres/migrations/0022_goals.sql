-- Goals and plans (§6, §6.1 rule 8): an indicator of a group of parks from a baseline to a
-- target, in the indicator's unit; park_id is set when the group is one park, for its staff to
-- read. Actuals recorded by hand (official statistics) win over computed ones for their year.
CREATE TABLE goals (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    indicator      TEXT NOT NULL,
    park_group     TEXT NOT NULL,
    park_id        TEXT REFERENCES parks (id),
    baseline_year  INTEGER NOT NULL,
    baseline_value DOUBLE PRECISION NOT NULL,
    target_year    INTEGER NOT NULL,
    target_value   DOUBLE PRECISION NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX goals_park ON goals (park_id, id);

CREATE TABLE goal_actuals (
    goal_id TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    year    INTEGER NOT NULL,
    value   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (goal_id, year)
);
