-- Areas are integers of 0.01 m², money integers of fen, unit prices integers of 0.0001 元,
-- facility measures integers of 0.01 (kN/m², m, kVA). Dates are calendar days in Asia/Shanghai.

CREATE TABLE industry_classes (
    code    TEXT PRIMARY KEY,
    level   TEXT NOT NULL,
    parent  TEXT REFERENCES industry_classes (code),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE parks (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL,
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    district          TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    latitude          DOUBLE PRECISION NOT NULL DEFAULT 0,
    longitude         DOUBLE PRECISION NOT NULL DEFAULT 0,
    land_area         BIGINT NOT NULL DEFAULT 0,
    gross_floor_area  BIGINT NOT NULL DEFAULT 0,
    above_ground_area BIGINT NOT NULL DEFAULT 0,
    operator          TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    phase             TEXT NOT NULL DEFAULT '',
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_phone     TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX parks_code ON parks (code);
CREATE INDEX parks_name ON parks (name_zh, id);

CREATE TABLE chains (
    id      TEXT PRIMARY KEY,
    park_id TEXT REFERENCES parks (id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE chain_nodes (
    id            TEXT PRIMARY KEY,
    chain_id      TEXT NOT NULL REFERENCES chains (id),
    stage         TEXT NOT NULL,
    position      INTEGER NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    industry_code TEXT REFERENCES industry_classes (code)
);
CREATE INDEX chain_nodes_chain ON chain_nodes (chain_id, position);

CREATE TABLE park_chain_nodes (
    park_id TEXT NOT NULL REFERENCES parks (id) ON DELETE CASCADE,
    node_id TEXT NOT NULL REFERENCES chain_nodes (id),
    PRIMARY KEY (park_id, node_id)
);

CREATE TABLE zones (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    code        TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX zones_park_code ON zones (park_id, code);

CREATE TABLE buildings (
    id                TEXT PRIMARY KEY,
    park_id           TEXT NOT NULL REFERENCES parks (id),
    zone_id           TEXT REFERENCES zones (id),
    code              TEXT NOT NULL,
    name              TEXT NOT NULL,
    floors_above      INTEGER NOT NULL DEFAULT 0,
    floors_below      INTEGER NOT NULL DEFAULT 0,
    gross_area        BIGINT NOT NULL DEFAULT 0,
    above_ground_area BIGINT NOT NULL DEFAULT 0,
    completed_year    INTEGER NOT NULL DEFAULT 0,
    description       TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX buildings_park_code ON buildings (park_id, code);
CREATE INDEX buildings_zone ON buildings (zone_id);

CREATE TABLE floors (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    building_id TEXT NOT NULL REFERENCES buildings (id),
    level       INTEGER NOT NULL,
    label       TEXT NOT NULL,
    gross_area  BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX floors_building_level ON floors (building_id, level);
CREATE INDEX floors_park ON floors (park_id);

CREATE TABLE units (
    id                      TEXT PRIMARY KEY,
    park_id                 TEXT NOT NULL REFERENCES parks (id),
    building_id             TEXT NOT NULL REFERENCES buildings (id),
    floor_id                TEXT NOT NULL REFERENCES floors (id),
    code                    TEXT NOT NULL,
    kind                    TEXT NOT NULL,
    gross_area              BIGINT NOT NULL,
    usable_area             BIGINT NOT NULL DEFAULT 0,
    biosafety_level         TEXT NOT NULL DEFAULT '',
    animal_room             TEXT NOT NULL DEFAULT '',
    cleanroom_grade         TEXT NOT NULL DEFAULT '',
    floor_load              BIGINT NOT NULL DEFAULT 0,
    ceiling_height          BIGINT NOT NULL DEFAULT 0,
    fume_exhaust            BOOLEAN NOT NULL DEFAULT FALSE,
    pure_water              BOOLEAN NOT NULL DEFAULT FALSE,
    power_kva               BIGINT NOT NULL DEFAULT 0,
    wastewater_pretreatment BOOLEAN NOT NULL DEFAULT FALSE,
    list_rent               BIGINT NOT NULL DEFAULT 0,
    property_fee            BIGINT NOT NULL DEFAULT 0,
    leasable                BOOLEAN NOT NULL DEFAULT TRUE,
    valid_from              DATE NOT NULL,
    valid_to                DATE,
    note                    TEXT NOT NULL DEFAULT '',
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX units_park_code ON units (park_id, code);
CREATE INDEX units_floor ON units (floor_id, code);
CREATE INDEX units_building ON units (building_id, code);

CREATE TABLE unit_neighbours (
    unit_id      TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    neighbour_id TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (unit_id, neighbour_id)
);

CREATE TABLE unit_changes (
    id           TEXT PRIMARY KEY,
    park_id      TEXT NOT NULL REFERENCES parks (id),
    kind         TEXT NOT NULL,
    effective_on DATE NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE unit_change_links (
    change_id TEXT NOT NULL REFERENCES unit_changes (id),
    unit_id   TEXT NOT NULL REFERENCES units (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (change_id, unit_id)
);
CREATE INDEX unit_change_links_unit ON unit_change_links (unit_id);

CREATE TABLE enterprises (
    id                   TEXT PRIMARY KEY,
    park_id              TEXT REFERENCES parks (id),
    name                 TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    credit_code          TEXT,
    legal_representative TEXT NOT NULL DEFAULT '',
    founded_on           DATE,
    registered_capital   BIGINT NOT NULL DEFAULT 0,
    ownership_type       TEXT NOT NULL DEFAULT '',
    industry_code        TEXT REFERENCES industry_classes (code),
    stage                TEXT NOT NULL,
    scientist_founded    BOOLEAN NOT NULL DEFAULT FALSE,
    returnee_founded     BOOLEAN NOT NULL DEFAULT FALSE,
    employees            INTEGER NOT NULL DEFAULT 0,
    website              TEXT NOT NULL DEFAULT '',
    contact_name         TEXT NOT NULL DEFAULT '',
    contact_phone        TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX enterprises_credit_code ON enterprises (credit_code);
CREATE INDEX enterprises_park ON enterprises (park_id, name);
CREATE INDEX enterprises_name ON enterprises (name, id);

CREATE TABLE enterprise_tags (
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    tag           TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, tag)
);

CREATE TABLE enterprise_chain_nodes (
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    node_id       TEXT NOT NULL REFERENCES chain_nodes (id),
    PRIMARY KEY (enterprise_id, node_id)
);

CREATE TABLE residencies (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    park_id       TEXT NOT NULL REFERENCES parks (id),
    move_in       DATE NOT NULL,
    move_out      DATE,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX residencies_park ON residencies (park_id, enterprise_id);
CREATE INDEX residencies_enterprise ON residencies (enterprise_id, move_in);

CREATE TABLE residency_units (
    residency_id TEXT NOT NULL REFERENCES residencies (id) ON DELETE CASCADE,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (residency_id, unit_id)
);
CREATE INDEX residency_units_unit ON residency_units (unit_id);

CREATE TABLE qualifications (
    id             TEXT PRIMARY KEY,
    enterprise_id  TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    certificate_no TEXT NOT NULL DEFAULT '',
    issued_on      DATE,
    expires_on     DATE,
    board          TEXT NOT NULL DEFAULT '',
    ticker         TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX qualifications_enterprise ON qualifications (enterprise_id, kind);
CREATE INDEX qualifications_expiry ON qualifications (expires_on);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    locale        TEXT NOT NULL DEFAULT 'zh-CN',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE INDEX users_enterprise ON users (enterprise_id);

CREATE TABLE user_parks (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    park_id TEXT NOT NULL REFERENCES parks (id),
    PRIMARY KEY (user_id, park_id)
);
CREATE INDEX user_parks_park ON user_parks (park_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
