-- Signed contracts of a park by end date, drafts left out. The stack plan, the rent roll and the
-- occupancy figures read only signed contracts through it, so abandoned drafts and (for a day)
-- leases that ended before it cost them nothing.
CREATE INDEX contracts_signed_park_end ON contracts (park_id, end_on) WHERE status <> 'draft';
