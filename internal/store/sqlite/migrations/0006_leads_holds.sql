-- 招商 pipeline (§4): leads with their timeline, holds on units, and the lead a contract came from.
CREATE TABLE leads (
    id               TEXT PRIMARY KEY,
    park_id          TEXT NOT NULL REFERENCES parks (id),
    company          TEXT NOT NULL,
    credit_code      TEXT NOT NULL DEFAULT '',
    contact_name     TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL,
    chain_node_id    TEXT REFERENCES chain_nodes (id),
    min_area         INTEGER NOT NULL DEFAULT 0,
    max_area         INTEGER NOT NULL DEFAULT 0,
    demand_json      TEXT NOT NULL,
    budget           INTEGER NOT NULL DEFAULT 0,
    move_in_by       TEXT,
    headcount        INTEGER NOT NULL DEFAULT 0,
    owner_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    stage            TEXT NOT NULL,
    probability      INTEGER NOT NULL,
    loss_reason      TEXT NOT NULL DEFAULT '',
    next_follow_up   TEXT,
    last_activity_at TIMESTAMP NOT NULL,
    enterprise_id    TEXT REFERENCES enterprises (id),
    contract_id      TEXT REFERENCES contracts (id),
    note             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX leads_park_stage ON leads (park_id, stage);
CREATE INDEX leads_follow_up ON leads (park_id, next_follow_up);

CREATE TABLE lead_activities (
    id         TEXT PRIMARY KEY,
    lead_id    TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    at         TIMESTAMP NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    username   TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL DEFAULT '',
    from_stage TEXT NOT NULL DEFAULT '',
    to_stage   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lead_activities_lead ON lead_activities (lead_id, at);

CREATE TABLE holds (
    id         TEXT PRIMARY KEY,
    park_id    TEXT NOT NULL REFERENCES parks (id),
    lead_id    TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    unit_id    TEXT NOT NULL REFERENCES units (id),
    from_on    TEXT NOT NULL,
    until_on   TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX holds_unit ON holds (unit_id, until_on);
CREATE INDEX holds_lead ON holds (lead_id);

ALTER TABLE contracts ADD COLUMN lead_id TEXT REFERENCES leads (id);
