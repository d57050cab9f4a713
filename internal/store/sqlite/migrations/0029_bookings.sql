-- Shared facilities (§7): bookable resources of a park with their rules, the park's closed days,
-- bookings, training certificates and the charges used facilities produce. A booking's times
-- are minutes since 1970-01-01 UTC, so both engines compare them exactly; the rule "never two
-- overlapping bookings of one resource" is the database's own (bookings_no_overlap), whatever
-- the service checked first.
CREATE TABLE facility_resources (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    rules_json  TEXT NOT NULL,
    shared      BOOLEAN NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (park_id, code)
);
CREATE INDEX facility_resources_shared ON facility_resources (shared, park_id);

CREATE TABLE park_holidays (
    park_id TEXT NOT NULL REFERENCES parks (id),
    day     TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (park_id, day)
);

CREATE TABLE bookings (
    id            TEXT PRIMARY KEY,
    resource_id   TEXT NOT NULL REFERENCES facility_resources (id),
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
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
    CHECK (end_min > start_min)
);
CREATE INDEX bookings_resource ON bookings (resource_id, start_min);
CREATE INDEX bookings_enterprise ON bookings (enterprise_id, start_min);
CREATE INDEX bookings_park ON bookings (park_id, start_min);

CREATE TABLE training_certificates (
    id            TEXT PRIMARY KEY,
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    username      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    expires_on    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX training_certificates_user ON training_certificates (username, kind, expires_on);
CREATE INDEX training_certificates_park ON training_certificates (park_id, expires_on);

CREATE TABLE facility_charges (
    id            TEXT PRIMARY KEY,
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    source        TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    charged_on    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX facility_charges_enterprise ON facility_charges (enterprise_id, charged_on);

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
