-- The service desk (§7): per-park changes to the service platforms, providers (the park's teams
-- and third parties) with their offerings, request categories with their SLA and routing, each
-- park's working hours (its SLA calendar, with park_holidays), and service requests — an
-- enterprise's to its park, or a park's demand to the authority — with comments and attachments.
-- Categories without a park are everyone's defaults (requests) and the authority's themes
-- (demands). SLA instants are seconds since 1970 UTC, compared exactly on both engines; a
-- request's month of submission (YYYYMM in Shanghai) is kept for the reports.
CREATE TABLE service_platforms (
    park_id TEXT NOT NULL REFERENCES parks (id),
    code    TEXT NOT NULL,
    system  TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active  BOOLEAN NOT NULL,
    PRIMARY KEY (park_id, code)
);

CREATE TABLE service_providers (
    id          TEXT PRIMARY KEY,
    park_id     TEXT REFERENCES parks (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    contact     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX service_providers_park ON service_providers (park_id, name);

CREATE TABLE service_provider_members (
    provider_id TEXT NOT NULL REFERENCES service_providers (id),
    username    TEXT NOT NULL,
    PRIMARY KEY (provider_id, username)
);
CREATE INDEX service_provider_members_user ON service_provider_members (username);

CREATE TABLE service_offerings (
    id          TEXT PRIMARY KEY,
    park_id     TEXT NOT NULL REFERENCES parks (id),
    provider_id TEXT NOT NULL REFERENCES service_providers (id),
    platform    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price       INTEGER NOT NULL CHECK (price >= 0),
    price_unit  TEXT NOT NULL,
    lead_days   INTEGER NOT NULL CHECK (lead_days >= 0),
    active      BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX service_offerings_park ON service_offerings (park_id, platform);

CREATE TABLE service_categories (
    id               TEXT PRIMARY KEY,
    park_id          TEXT REFERENCES parks (id),
    kind             TEXT NOT NULL,
    code             TEXT NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    platform         TEXT NOT NULL,
    response_hours   INTEGER NOT NULL CHECK (response_hours > 0),
    resolution_hours INTEGER NOT NULL CHECK (resolution_hours >= response_hours),
    provider_id      TEXT REFERENCES service_providers (id),
    needs_unit       BOOLEAN NOT NULL,
    active           BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX service_categories_code ON service_categories (park_id, code);
CREATE UNIQUE INDEX service_categories_default_code ON service_categories (code) WHERE park_id IS NULL;

CREATE TABLE park_working_hours (
    park_id  TEXT NOT NULL REFERENCES parks (id),
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    from_min INTEGER NOT NULL,
    to_min   INTEGER NOT NULL,
    CHECK (0 <= from_min AND from_min < to_min AND to_min <= 1440),
    PRIMARY KEY (park_id, weekday, from_min)
);

CREATE TABLE service_requests (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    park_id          TEXT NOT NULL REFERENCES parks (id),
    enterprise_id    TEXT REFERENCES enterprises (id),
    category_id      TEXT NOT NULL REFERENCES service_categories (id),
    platform         TEXT NOT NULL,
    offering_id      TEXT REFERENCES service_offerings (id),
    unit_id          TEXT REFERENCES units (id),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    submitted_by     TEXT NOT NULL,
    status           TEXT NOT NULL,
    provider_id      TEXT REFERENCES service_providers (id),
    assignee         TEXT NOT NULL DEFAULT '',
    escalated_from   TEXT REFERENCES service_requests (id),
    escalated_to     TEXT,
    submitted_at     INTEGER NOT NULL,
    submitted_month  INTEGER NOT NULL,
    response_due     INTEGER NOT NULL,
    resolution_due   INTEGER NOT NULL,
    responded_at     INTEGER,
    resolved_at      INTEGER,
    closed_at        INTEGER,
    warned_at        INTEGER,
    reopened         INTEGER NOT NULL DEFAULT 0,
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment   TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX service_requests_park ON service_requests (park_id, kind, submitted_at);
CREATE INDEX service_requests_enterprise ON service_requests (enterprise_id, submitted_at);
CREATE INDEX service_requests_assignee ON service_requests (assignee, status);
CREATE INDEX service_requests_provider ON service_requests (provider_id, status);
CREATE INDEX service_requests_due ON service_requests (status, resolution_due);
CREATE UNIQUE INDEX service_requests_escalation ON service_requests (escalated_from);
-- Reports read this index alone: a park's months in order, with every figure they count.
CREATE INDEX service_requests_report ON service_requests (kind, park_id, submitted_month, platform, category_id,
    responded_at, response_due, resolved_at, resolution_due, rating);
-- The reminder job's claim: unfinished requests not warned yet, by due.
CREATE INDEX service_requests_unwarned ON service_requests (resolution_due)
    WHERE warned_at IS NULL AND status IN ('open', 'assigned', 'in_progress');

CREATE TABLE service_comments (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES service_requests (id),
    author     TEXT NOT NULL,
    internal   BOOLEAN NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX service_comments_request ON service_comments (request_id, created_at);

CREATE TABLE service_attachments (
    id           TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES service_requests (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX service_attachments_request ON service_attachments (request_id, created_at);

INSERT INTO service_categories (id, park_id, kind, code, name_zh, name_en, platform, response_hours, resolution_hours, provider_id, needs_unit, active) VALUES
    ('svc-repair', NULL, 'request', 'repair', '物业报修', 'Property repair', 'property', 2, 8, NULL, 1, 1),
    ('svc-cleaning', NULL, 'request', 'cleaning', '保洁与环境', 'Cleaning and grounds', 'property', 4, 16, NULL, 0, 1),
    ('svc-recruiting', NULL, 'request', 'recruiting', '人才招聘', 'Recruiting', 'hr', 8, 40, NULL, 0, 1),
    ('svc-patent', NULL, 'request', 'patent', '专利与知识产权', 'Patents and IP', 'ip', 8, 40, NULL, 0, 1),
    ('svc-legal', NULL, 'request', 'legal', '法律咨询', 'Legal advice', 'legal', 8, 24, NULL, 0, 1),
    ('svc-accounting', NULL, 'request', 'accounting', '财税代理', 'Accounting and tax', 'accounting', 8, 40, NULL, 0, 1),
    ('svc-pr', NULL, 'request', 'pr', '品牌与公关', 'Public relations', 'pr', 8, 40, NULL, 0, 1),
    ('svc-marketing', NULL, 'request', 'marketing', '市场推广', 'Marketing', 'marketing', 8, 40, NULL, 0, 1),
    ('svc-data', NULL, 'request', 'data', '数据与算力服务', 'Data and compute', 'data', 8, 24, NULL, 0, 1),
    ('svc-financing', NULL, 'request', 'financing', '投融资对接', 'Financing', 'finance', 8, 40, NULL, 0, 1),
    ('svc-policy', NULL, 'request', 'policy', '政策咨询', 'Policy questions', 'policy', 4, 24, NULL, 0, 1),
    ('dem-policy', NULL, 'demand', 'demand_policy', '政策诉求', 'Policy', 'policy', 24, 120, NULL, 0, 1),
    ('dem-permit', NULL, 'demand', 'demand_permit', '审批与许可', 'Permits and approvals', 'policy', 24, 120, NULL, 0, 1),
    ('dem-land', NULL, 'demand', 'demand_land', '土地与空间', 'Land and space', 'policy', 24, 160, NULL, 0, 1),
    ('dem-talent', NULL, 'demand', 'demand_talent', '人才与住房', 'Talent and housing', 'policy', 24, 120, NULL, 0, 1),
    ('dem-finance', NULL, 'demand', 'demand_finance', '融资与资金', 'Finance and funding', 'policy', 24, 120, NULL, 0, 1),
    ('dem-infra', NULL, 'demand', 'demand_infra', '基础设施与配套', 'Infrastructure and amenities', 'policy', 24, 160, NULL, 0, 1);
