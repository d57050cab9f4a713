-- Park events (§8): forums, roadshows, trainings and park visits, each with its venue booked
-- through the shared facilities (§7) so that no venue is ever double-booked; an event's
-- booking is the park's own and carries no enterprise, so bookings.enterprise_id becomes
-- optional (SQLite rebuilds the table for it, keeping its indexes and overlap triggers).
-- Registrations of enterprise users and outside guests, with a waiting list in order of
-- registration and a check-in code each, used once.
CREATE TABLE bookings_new (
    id            TEXT PRIMARY KEY,
    resource_id   TEXT NOT NULL REFERENCES facility_resources (id),
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT REFERENCES enterprises (id),
    username      TEXT NOT NULL,
    start_min     INTEGER NOT NULL,
    end_min       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    booker_kind   TEXT NOT NULL,
    price         INTEGER NOT NULL,
    price_rule    TEXT NOT NULL,
    series_id     TEXT,
    note          TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK (end_min > start_min),
    CHECK (enterprise_id IS NOT NULL OR booker_kind = 'event')
);
INSERT INTO bookings_new SELECT id, resource_id, park_id, enterprise_id, username, start_min, end_min, status, booker_kind, price, price_rule,
    series_id, note, reason, created_at, updated_at FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_new RENAME TO bookings;
CREATE INDEX bookings_resource ON bookings (resource_id, start_min);
CREATE INDEX bookings_enterprise ON bookings (enterprise_id, start_min);
CREATE INDEX bookings_park ON bookings (park_id, start_min);
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status IN ('requested', 'approved', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap: the resource is already booked at that time')
    WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = NEW.resource_id AND b.id <> NEW.id
        AND b.status IN ('requested', 'approved', 'checked_in') AND b.start_min < NEW.end_min AND NEW.start_min < b.end_min);
END;
CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF start_min, end_min, status, resource_id ON bookings
WHEN NEW.status IN ('requested', 'approved', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap: the resource is already booked at that time')
    WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = NEW.resource_id AND b.id <> NEW.id
        AND b.status IN ('requested', 'approved', 'checked_in') AND b.start_min < NEW.end_min AND NEW.start_min < b.end_min);
END;

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    resource_id TEXT REFERENCES facility_resources (id),
    booking_id  TEXT,
    location    TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    audience    TEXT NOT NULL,
    waitlist    BOOLEAN NOT NULL,
    status      TEXT NOT NULL,
    organizer   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_park ON events (park_id, starts_at);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_invitations (
    event_id      TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (event_id, enterprise_id)
);

CREATE TABLE event_registrations (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES events (id),
    kind          TEXT NOT NULL,
    username      TEXT NOT NULL DEFAULT '',
    enterprise_id TEXT REFERENCES enterprises (id),
    guest_name    TEXT NOT NULL DEFAULT '',
    guest_org     TEXT NOT NULL DEFAULT '',
    guest_phone   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    code          TEXT NOT NULL UNIQUE,
    checked_in_at TIMESTAMP,
    reminded_at   TIMESTAMP,
    registered_by TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, created_at);
CREATE INDEX event_registrations_enterprise ON event_registrations (enterprise_id);
-- A user holds one live registration of an event.
CREATE UNIQUE INDEX event_registrations_user ON event_registrations (event_id, username)
    WHERE kind = 'user' AND status <> 'cancelled';
