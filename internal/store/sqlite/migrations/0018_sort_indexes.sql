-- An index for every sort key a list offers, found by TestListQueriesUseIndexes (which now asks
-- every list for each of its sort keys, both ways, across all parks and within one): the
-- authority's and the administrator's lists over all parks walk the index in order and stop after
-- a page instead of sorting a whole table.
CREATE INDEX enterprises_employees ON enterprises (employees, id);
CREATE INDEX enterprises_capital ON enterprises (registered_capital, id);
CREATE INDEX floors_gross_area ON floors (gross_area, id);
CREATE INDEX holds_until ON holds (until_on, id);
CREATE INDEX contracts_number ON contracts (number, id);
CREATE INDEX contracts_end ON contracts (end_on, id);
CREATE INDEX leads_follow_up_order ON leads (COALESCE(next_follow_up, '9999-12-31'), id);
CREATE INDEX leads_company ON leads (company, id);
CREATE INDEX leads_probability ON leads (probability, id);
CREATE INDEX leads_updated ON leads (updated_at, id);
CREATE INDEX qualifications_expiry_order ON qualifications (COALESCE(expires_on, '9999-12-31'), id);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_updated ON reports (updated_at, id);
CREATE INDEX units_gross_area ON units (gross_area, id);
CREATE INDEX units_kind ON units (kind, id);
CREATE INDEX units_list_rent ON units (list_rent, id);

-- An enterprise search by name walks this index in name order and reads the names from it, not
-- from the rows; it holds everything enterprises_name did.
CREATE INDEX enterprises_search ON enterprises (name, id, name_en, credit_code);
DROP INDEX enterprises_name;
