-- Support policies and funding (§8): a policy's text, amount rule and eligibility (as JSON, the
-- structure the policy package reads), the parks it covers, the enterprises found eligible when
-- last judged (so a new match is told once), applications with their payments, reviewers' notes
-- and documents. enterprise_year_facts keeps each enterprise's years by §6.1 rule 1 so that one
-- policy is matched against every enterprise without re-reading ten years of reports;
-- policy_stale lists the enterprises whose facts changed since they were last judged, written
-- by triggers on every table a fact comes from.
CREATE TABLE policies (
    id               TEXT PRIMARY KEY,
    owner_park_id    TEXT REFERENCES parks (id),
    title            TEXT NOT NULL,
    title_en         TEXT NOT NULL DEFAULT '',
    issuer           TEXT NOT NULL,
    doc_number       TEXT NOT NULL DEFAULT '',
    valid_from       TEXT NOT NULL,
    valid_to         TEXT,
    body             TEXT NOT NULL DEFAULT '',
    benefit          TEXT NOT NULL,
    amount_json      TEXT NOT NULL,
    scope_kind       TEXT NOT NULL,
    scope_district   TEXT NOT NULL DEFAULT '',
    eligibility_json TEXT NOT NULL,
    facts_year       INTEGER NOT NULL DEFAULT 0,
    auto_grant       BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    published_at     TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX policies_status ON policies (status, valid_from);

CREATE TABLE policy_parks (
    policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    park_id   TEXT NOT NULL REFERENCES parks (id),
    PRIMARY KEY (policy_id, park_id)
);
CREATE INDEX policy_parks_park ON policy_parks (park_id);

CREATE TABLE policy_matches (
    policy_id     TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    estimate      INTEGER NOT NULL,
    matched_on    TEXT NOT NULL,
    PRIMARY KEY (policy_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX policy_matches_enterprise ON policy_matches (enterprise_id);

CREATE TABLE policy_applications (
    id            TEXT PRIMARY KEY,
    policy_id     TEXT NOT NULL REFERENCES policies (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    park_id       TEXT REFERENCES parks (id),
    status        TEXT NOT NULL,
    auto          BOOLEAN NOT NULL DEFAULT FALSE,
    statement     TEXT NOT NULL DEFAULT '',
    requested     INTEGER NOT NULL DEFAULT 0 CHECK (requested >= 0),
    estimate      INTEGER NOT NULL DEFAULT 0,
    approved      INTEGER NOT NULL DEFAULT 0 CHECK (approved >= 0),
    disbursed     INTEGER NOT NULL DEFAULT 0 CHECK (disbursed >= 0 AND disbursed <= approved),
    reason        TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    submitted_at  TIMESTAMP,
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
-- One live application per enterprise and policy: a rejected or withdrawn one may be followed.
CREATE UNIQUE INDEX policy_applications_live ON policy_applications (policy_id, enterprise_id)
    WHERE status NOT IN ('rejected', 'withdrawn');
CREATE INDEX policy_applications_policy ON policy_applications (policy_id, status);
CREATE INDEX policy_applications_enterprise ON policy_applications (enterprise_id, created_at);
CREATE INDEX policy_applications_park ON policy_applications (park_id, status);

CREATE TABLE policy_disbursements (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES policy_applications (id),
    paid_on        TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    reference      TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX policy_disbursements_application ON policy_disbursements (application_id);

CREATE TABLE policy_application_notes (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES policy_applications (id),
    author         TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX policy_application_notes_application ON policy_application_notes (application_id);

CREATE TABLE policy_documents (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES policy_applications (id),
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    data           BLOB NOT NULL,
    uploaded_by    TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX policy_documents_application ON policy_documents (application_id);

CREATE TABLE enterprise_year_facts (
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    complete      BOOLEAN NOT NULL,
    revenue       INTEGER,
    rd_expense    INTEGER,
    tax           INTEGER,
    employees     INTEGER,
    PRIMARY KEY (year, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_year_facts_enterprise ON enterprise_year_facts (enterprise_id);

CREATE TABLE policy_stale (
    enterprise_id TEXT PRIMARY KEY
);

CREATE TABLE policy_rematch_runs (
    day TEXT PRIMARY KEY
);

CREATE TRIGGER policy_stale_report AFTER UPDATE OF status ON reports WHEN OLD.status <> NEW.status
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_enterprise AFTER UPDATE ON enterprises
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.id);
END;
CREATE TRIGGER policy_stale_qualification_insert AFTER INSERT ON qualifications
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_qualification_update AFTER UPDATE ON qualifications
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_qualification_delete AFTER DELETE ON qualifications
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (OLD.enterprise_id);
END;
CREATE TRIGGER policy_stale_residency_insert AFTER INSERT ON residencies
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_residency_update AFTER UPDATE ON residencies
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (NEW.enterprise_id);
END;
CREATE TRIGGER policy_stale_residency_delete AFTER DELETE ON residencies
BEGIN
    INSERT OR IGNORE INTO policy_stale (enterprise_id) VALUES (OLD.enterprise_id);
END;
