-- iCalendar feeds (§7): a user's own bookings, or a resource's, at a secret URL the user can
-- revoke. Only the token's hash is kept; the feed is read in the scope of the user who made it.
CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resource_id TEXT REFERENCES facility_resources (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id, created_at);
