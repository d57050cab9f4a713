-- Indicators the authority adds without a release (§6): the definition as JSON, the formula
-- inside it checked by the service before it is kept.
CREATE TABLE custom_indicators (
    code            TEXT PRIMARY KEY,
    definition_json TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
