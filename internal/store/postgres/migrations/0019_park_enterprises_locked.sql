-- Two transactions refreshing the same (park, enterprise) pair at once (two residencies created or
-- deleted together) could both insert it, or each delete what the other re-inserted and leave a
-- pair that no longer holds. A refresh now first takes the enterprise's row lock (FOR NO KEY
-- UPDATE: it does not conflict with the key-share locks foreign keys take), so refreshes of one
-- enterprise run one after the other, each seeing what the one before committed.
CREATE OR REPLACE FUNCTION park_enterprise_refresh(p TEXT, e TEXT) RETURNS void LANGUAGE sql AS $$
    SELECT 1 FROM enterprises WHERE id = e FOR NO KEY UPDATE;
    DELETE FROM park_enterprises WHERE park_id = p AND enterprise_id = e;
    INSERT INTO park_enterprises (park_id, enterprise_id, name)
    SELECT p, x.id, x.name FROM enterprises x
    WHERE x.id = e AND (x.park_id = p OR EXISTS (SELECT 1 FROM residencies r WHERE r.enterprise_id = e AND r.park_id = p));
$$;
