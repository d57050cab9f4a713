-- Statistical reports (§3): periods opened by the authority (park_id NULL) or a park, the
-- enterprises asked to file, and one report per enterprise and period. Each measure is its own
-- column so indicators (§6) can add them up in SQL; NULL means left blank.
CREATE TABLE report_periods (
    id         TEXT PRIMARY KEY,
    park_id    TEXT REFERENCES parks (id),
    kind       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    start_on   DATE NOT NULL,
    end_on     DATE NOT NULL,
    deadline   DATE NOT NULL,
    closed     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX report_periods_once ON report_periods (COALESCE(park_id, ''), kind, year, seq);

CREATE TABLE period_enterprises (
    period_id     TEXT NOT NULL REFERENCES report_periods (id) ON DELETE CASCADE,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (period_id, enterprise_id)
);
CREATE INDEX period_enterprises_enterprise ON period_enterprises (enterprise_id);

CREATE TABLE reports (
    id                        TEXT PRIMARY KEY,
    period_id                 TEXT NOT NULL REFERENCES report_periods (id),
    enterprise_id             TEXT NOT NULL REFERENCES enterprises (id),
    park_id                   TEXT NOT NULL REFERENCES parks (id),
    status                    TEXT NOT NULL,
    revenue                   BIGINT,
    industrial_output         BIGINT,
    rd_expense                BIGINT,
    tax                       BIGINT,
    employees                 BIGINT,
    rd_staff                  BIGINT,
    invention_patents_granted BIGINT,
    invention_patents_held    BIGINT,
    other_patents_granted     BIGINT,
    financing                 BIGINT,
    exports                   BIGINT,
    confirmed_json            TEXT NOT NULL DEFAULT '[]',
    return_reason             TEXT NOT NULL DEFAULT '',
    submissions               INTEGER NOT NULL DEFAULT 0,
    submitted_at              TIMESTAMPTZ,
    reviewed_at               TIMESTAMPTZ,
    updated_at                TIMESTAMPTZ NOT NULL,
    UNIQUE (period_id, enterprise_id)
);
CREATE INDEX reports_enterprise ON reports (enterprise_id, period_id);
CREATE INDEX reports_park_period ON reports (park_id, period_id, status);
