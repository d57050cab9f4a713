-- parkos gen records each synthetic data set here before writing it and marks it finished at
-- the end, so a run killed half-way leaves a database that says it is incomplete.
CREATE TABLE generated_sets (
    id          TEXT PRIMARY KEY,
    scale       TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
