-- Citus-ready (§14): every row of a park-owned table names its park, so that a distributed
-- deployment keeps a park's rows together on one worker (tables distributed by park_id) and a
-- park's queries never cross workers. Rows of a policy application name its enterprise, as the
-- application does, so that they live beside it (distributed by enterprise_id). The store
-- writes both columns from the parent row; these statements fill them for rows already there.
ALTER TABLE contract_late_fees ADD COLUMN park_id TEXT;
UPDATE contract_late_fees t SET park_id = p.park_id FROM contracts p WHERE p.id = t.contract_id;
ALTER TABLE contract_late_fees ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE contract_units ADD COLUMN park_id TEXT;
UPDATE contract_units t SET park_id = p.park_id FROM contracts p WHERE p.id = t.contract_id;
ALTER TABLE contract_units ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE dunning_sent ADD COLUMN park_id TEXT;
UPDATE dunning_sent t SET park_id = p.park_id FROM bills p WHERE p.id = t.bill_id;
ALTER TABLE dunning_sent ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE event_invitations ADD COLUMN park_id TEXT;
UPDATE event_invitations t SET park_id = p.park_id FROM events p WHERE p.id = t.event_id;
ALTER TABLE event_invitations ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE event_registrations ADD COLUMN park_id TEXT;
UPDATE event_registrations t SET park_id = p.park_id FROM events p WHERE p.id = t.event_id;
ALTER TABLE event_registrations ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE invoice_requests ADD COLUMN park_id TEXT;
UPDATE invoice_requests t SET park_id = p.park_id FROM bills p WHERE p.id = t.bill_id;
ALTER TABLE invoice_requests ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE lead_activities ADD COLUMN park_id TEXT;
UPDATE lead_activities t SET park_id = p.park_id FROM leads p WHERE p.id = t.lead_id;
ALTER TABLE lead_activities ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE payment_allocations ADD COLUMN park_id TEXT;
UPDATE payment_allocations t SET park_id = p.park_id FROM payments p WHERE p.id = t.payment_id;
ALTER TABLE payment_allocations ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE residency_units ADD COLUMN park_id TEXT;
UPDATE residency_units t SET park_id = p.park_id FROM residencies p WHERE p.id = t.residency_id;
ALTER TABLE residency_units ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE service_attachments ADD COLUMN park_id TEXT;
UPDATE service_attachments t SET park_id = p.park_id FROM service_requests p WHERE p.id = t.request_id;
ALTER TABLE service_attachments ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE service_comments ADD COLUMN park_id TEXT;
UPDATE service_comments t SET park_id = p.park_id FROM service_requests p WHERE p.id = t.request_id;
ALTER TABLE service_comments ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE unit_change_links ADD COLUMN park_id TEXT;
UPDATE unit_change_links t SET park_id = p.park_id FROM unit_changes p WHERE p.id = t.change_id;
ALTER TABLE unit_change_links ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE unit_neighbours ADD COLUMN park_id TEXT;
UPDATE unit_neighbours t SET park_id = p.park_id FROM units p WHERE p.id = t.unit_id;
ALTER TABLE unit_neighbours ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE unit_versions ADD COLUMN park_id TEXT;
UPDATE unit_versions t SET park_id = p.park_id FROM units p WHERE p.id = t.unit_id;
ALTER TABLE unit_versions ALTER COLUMN park_id SET NOT NULL, ADD FOREIGN KEY (park_id) REFERENCES parks (id);
ALTER TABLE policy_application_notes ADD COLUMN enterprise_id TEXT;
UPDATE policy_application_notes t SET enterprise_id = a.enterprise_id FROM policy_applications a WHERE a.id = t.application_id;
ALTER TABLE policy_application_notes ALTER COLUMN enterprise_id SET NOT NULL, ADD FOREIGN KEY (enterprise_id) REFERENCES enterprises (id);
ALTER TABLE policy_disbursements ADD COLUMN enterprise_id TEXT;
UPDATE policy_disbursements t SET enterprise_id = a.enterprise_id FROM policy_applications a WHERE a.id = t.application_id;
ALTER TABLE policy_disbursements ALTER COLUMN enterprise_id SET NOT NULL, ADD FOREIGN KEY (enterprise_id) REFERENCES enterprises (id);
ALTER TABLE policy_documents ADD COLUMN enterprise_id TEXT;
UPDATE policy_documents t SET enterprise_id = a.enterprise_id FROM policy_applications a WHERE a.id = t.application_id;
ALTER TABLE policy_documents ALTER COLUMN enterprise_id SET NOT NULL, ADD FOREIGN KEY (enterprise_id) REFERENCES enterprises (id);
