-- Idempotency keys of creating POSTs (SPEC §10): per user, the request a key was first used
-- with and, once it succeeded, its answer; status is NULL while the first request runs.
CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    status     INTEGER,
    response   TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
