-- The notification center (§10): each user's notifications, their channel choices, parks' group
-- robots, and the outbox messages leave through — written in the transaction of the change they
-- tell of, sent by a worker with retries, claimed row by row so two processes never send one twice.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title_zh   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    body_zh    TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE notification_preferences (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

CREATE TABLE park_webhooks (
    id         TEXT PRIMARY KEY,
    park_id    TEXT NOT NULL REFERENCES parks (id),
    kind       TEXT NOT NULL,
    url        TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX park_webhooks_park ON park_webhooks (park_id);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    target     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TIMESTAMPTZ NOT NULL,
    sent_at    TIMESTAMPTZ,
    given_up   BOOLEAN NOT NULL DEFAULT FALSE,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE sent_at IS NULL AND NOT given_up;
