-- Lease contracts (§4). Rent-free periods and escalation are value objects of the contract and
-- kept as JSON in terms_json; the units are rows, because the rule that a unit is never let
-- twice on one day is checked against them.
CREATE TABLE contracts (
    id             TEXT PRIMARY KEY,
    number         TEXT NOT NULL,
    park_id        TEXT NOT NULL REFERENCES parks (id),
    enterprise_id  TEXT NOT NULL REFERENCES enterprises (id),
    status         TEXT NOT NULL,
    start_on       DATE NOT NULL,
    end_on         DATE NOT NULL,
    signed_on      DATE,
    price          BIGINT NOT NULL,
    property_fee   BIGINT NOT NULL DEFAULT 0,
    payment_cycle  INTEGER NOT NULL,
    deposit_months INTEGER NOT NULL DEFAULT 0,
    day_count      TEXT NOT NULL,
    terms_json     TEXT NOT NULL,
    terminated_on  DATE,
    penalty        BIGINT NOT NULL DEFAULT 0,
    renewal_of     TEXT REFERENCES contracts (id),
    renewed_by     TEXT REFERENCES contracts (id),
    note           TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX contracts_park_number ON contracts (park_id, number);
CREATE INDEX contracts_enterprise ON contracts (enterprise_id);
CREATE INDEX contracts_park_end ON contracts (park_id, end_on);

CREATE TABLE contract_units (
    contract_id TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    unit_id     TEXT NOT NULL REFERENCES units (id),
    area        BIGINT NOT NULL,
    from_on     DATE NOT NULL,
    to_on       DATE NOT NULL,
    PRIMARY KEY (contract_id, unit_id, from_on)
);
CREATE INDEX contract_units_unit ON contract_units (unit_id, from_on);
