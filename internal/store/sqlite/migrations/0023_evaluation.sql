-- Evaluation (§6, §6.1 rule 9): scheme versions kept as data (frozen once a run used them) and
-- finished runs with their scores, which never change.
CREATE TABLE evaluation_schemes (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    definition_json TEXT NOT NULL,
    frozen          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE evaluation_runs (
    id           TEXT PRIMARY KEY,
    scheme_id    TEXT NOT NULL REFERENCES evaluation_schemes (id),
    year         INTEGER NOT NULL,
    park_group   TEXT NOT NULL,
    results_json TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_runs_scheme ON evaluation_runs (scheme_id, created_at);
