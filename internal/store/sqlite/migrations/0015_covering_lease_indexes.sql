-- The day figures read a park's signed leases by index alone: the signed-contracts index carries
-- every column those reads take, and contract units are found with their days.
DROP INDEX contracts_signed_park_end;
CREATE INDEX contracts_signed_park_end ON contracts (park_id, end_on, id, enterprise_id, start_on, signed_on, terminated_on, status)
    WHERE status <> 'draft';
CREATE INDEX contract_units_contract ON contract_units (contract_id, unit_id, from_on, to_on);
