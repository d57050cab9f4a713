-- State that lived in one process moves to the database, so that any number of `parkos serve`
-- processes on one database behave as one (§10): failed sign-ins counted against an account or
-- an address, and uploads kept between their preview and their confirmation.
CREATE TABLE sign_in_attempts (
    key        TEXT NOT NULL,
    attempt_id TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, attempt_id)
);
CREATE INDEX sign_in_attempts_key_at ON sign_in_attempts (key, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

CREATE TABLE upload_stash (
    token      TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target     TEXT NOT NULL,
    name       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    data       BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX upload_stash_expires ON upload_stash (expires_at);
