-- Citus-ready (§14): every row of a park-owned table names its park, so that a distributed
-- deployment keeps a park's rows together on one worker (tables distributed by park_id) and a
-- park's queries never cross workers. Rows of a policy application name its enterprise, as the
-- application does, so that they live beside it (distributed by enterprise_id). The store
-- writes both columns from the parent row; these statements fill them for rows already there.
-- SQLite cannot add a NOT NULL column with a reference, and is never distributed: the columns
-- are NOT NULL with an empty default, and the store always sets them.
ALTER TABLE contract_late_fees ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE contract_late_fees SET park_id = (SELECT p.park_id FROM contracts p WHERE p.id = contract_late_fees.contract_id);
ALTER TABLE contract_units ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE contract_units SET park_id = (SELECT p.park_id FROM contracts p WHERE p.id = contract_units.contract_id);
ALTER TABLE dunning_sent ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE dunning_sent SET park_id = (SELECT p.park_id FROM bills p WHERE p.id = dunning_sent.bill_id);
ALTER TABLE event_invitations ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE event_invitations SET park_id = (SELECT p.park_id FROM events p WHERE p.id = event_invitations.event_id);
ALTER TABLE event_registrations ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE event_registrations SET park_id = (SELECT p.park_id FROM events p WHERE p.id = event_registrations.event_id);
ALTER TABLE invoice_requests ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE invoice_requests SET park_id = (SELECT p.park_id FROM bills p WHERE p.id = invoice_requests.bill_id);
ALTER TABLE lead_activities ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE lead_activities SET park_id = (SELECT p.park_id FROM leads p WHERE p.id = lead_activities.lead_id);
ALTER TABLE payment_allocations ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE payment_allocations SET park_id = (SELECT p.park_id FROM payments p WHERE p.id = payment_allocations.payment_id);
ALTER TABLE residency_units ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE residency_units SET park_id = (SELECT p.park_id FROM residencies p WHERE p.id = residency_units.residency_id);
ALTER TABLE service_attachments ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE service_attachments SET park_id = (SELECT p.park_id FROM service_requests p WHERE p.id = service_attachments.request_id);
ALTER TABLE service_comments ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE service_comments SET park_id = (SELECT p.park_id FROM service_requests p WHERE p.id = service_comments.request_id);
ALTER TABLE unit_change_links ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE unit_change_links SET park_id = (SELECT p.park_id FROM unit_changes p WHERE p.id = unit_change_links.change_id);
ALTER TABLE unit_neighbours ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE unit_neighbours SET park_id = (SELECT p.park_id FROM units p WHERE p.id = unit_neighbours.unit_id);
ALTER TABLE unit_versions ADD COLUMN park_id TEXT NOT NULL DEFAULT '';
UPDATE unit_versions SET park_id = (SELECT p.park_id FROM units p WHERE p.id = unit_versions.unit_id);
ALTER TABLE policy_application_notes ADD COLUMN enterprise_id TEXT NOT NULL DEFAULT '';
UPDATE policy_application_notes SET enterprise_id = (SELECT a.enterprise_id FROM policy_applications a WHERE a.id = policy_application_notes.application_id);
ALTER TABLE policy_disbursements ADD COLUMN enterprise_id TEXT NOT NULL DEFAULT '';
UPDATE policy_disbursements SET enterprise_id = (SELECT a.enterprise_id FROM policy_applications a WHERE a.id = policy_disbursements.application_id);
ALTER TABLE policy_documents ADD COLUMN enterprise_id TEXT NOT NULL DEFAULT '';
UPDATE policy_documents SET enterprise_id = (SELECT a.enterprise_id FROM policy_applications a WHERE a.id = policy_documents.application_id);
