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
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (park_id, code)
);
CREATE INDEX facility_resources_shared ON facility_resources (shared, park_id);

CREATE TABLE park_holidays (
    park_id TEXT NOT NULL REFERENCES parks (id),
    day     DATE NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (park_id, day)
);

CREATE TABLE bookings (
    id            TEXT PRIMARY KEY,
    resource_id   TEXT NOT NULL REFERENCES facility_resources (id),
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    username      TEXT NOT NULL,
    start_min     BIGINT NOT NULL,
    end_min       BIGINT NOT NULL,
    status        TEXT NOT NULL,
    booker_kind   TEXT NOT NULL,
    price         BIGINT NOT NULL,
    price_rule    TEXT NOT NULL,
    series_id     TEXT,
    note          TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
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
    issued_on     DATE NOT NULL,
    expires_on    DATE NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_certificates_user ON training_certificates (username, kind, expires_on);
CREATE INDEX training_certificates_park ON training_certificates (park_id, expires_on);

CREATE TABLE facility_charges (
    id            TEXT PRIMARY KEY,
    park_id       TEXT NOT NULL REFERENCES parks (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    source        TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    rule          TEXT NOT NULL,
    charged_on    DATE NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX facility_charges_enterprise ON facility_charges (enterprise_id, charged_on);

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (resource_id WITH =, int8range(start_min, end_min) WITH &&)
    WHERE (status IN ('requested', 'approved', 'checked_in'));
