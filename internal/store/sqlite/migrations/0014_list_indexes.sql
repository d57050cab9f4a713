-- Indexes found missing by TestListQueriesUseIndexes, which explains every read query of every
-- GET route on both engines: each list's default sort over all parks (the authority's and the
-- administrator's lists, read a page at a time), holds by park and by expiry, and leads by
-- follow-up day across parks.
CREATE INDEX contracts_start ON contracts (start_on, id);
CREATE INDEX enterprises_created ON enterprises (created_at, id);
CREATE INDEX floors_level ON floors (level, id);
CREATE INDEX units_code ON units (code, id);
CREATE INDEX holds_park_until ON holds (park_id, until_on, id);
CREATE INDEX holds_active_until ON holds (until_on, id) WHERE status = 'active';
CREATE INDEX leads_next_follow_up ON leads (next_follow_up, id);
