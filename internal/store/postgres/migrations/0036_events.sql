-- Park events (§8): forums, roadshows, trainings and park visits, each with its venue booked
-- through the shared facilities (§7) so that no venue is ever double-booked (the bookings'
-- exclusion constraint); an event's booking is the park's own and carries no enterprise.
-- Registrations of enterprise users and outside guests, with a waiting list in order of
-- registration and a check-in code each, used once.
ALTER TABLE bookings ALTER COLUMN enterprise_id DROP NOT NULL;
ALTER TABLE bookings ADD CHECK (enterprise_id IS NOT NULL OR booker_kind = 'event');

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    resource_id TEXT REFERENCES facility_resources (id),
    booking_id  TEXT,
    location    TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    audience    TEXT NOT NULL,
    waitlist    BOOLEAN NOT NULL,
    status      TEXT NOT NULL,
    organizer   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
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
    checked_in_at TIMESTAMPTZ,
    reminded_at   TIMESTAMPTZ,
    registered_by TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, created_at);
CREATE INDEX event_registrations_enterprise ON event_registrations (enterprise_id);
CREATE UNIQUE INDEX event_registrations_user ON event_registrations (event_id, username)
    WHERE kind = 'user' AND status <> 'cancelled';
