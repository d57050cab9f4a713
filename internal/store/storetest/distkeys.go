package storetest

import (
	"context"
	"database/sql"
	"fmt"
)

// inheritedKey is a distribution key a child row copies from its parent row (§14).
type inheritedKey struct {
	child, fk, parent, key string
}

// inheritedKeys are the children that carry their parent's park_id or enterprise_id.
var inheritedKeys = []inheritedKey{
	{"contract_late_fees", "contract_id", "contracts", "park_id"},
	{"contract_units", "contract_id", "contracts", "park_id"},
	{"dunning_sent", "bill_id", "bills", "park_id"},
	{"event_invitations", "event_id", "events", "park_id"},
	{"event_registrations", "event_id", "events", "park_id"},
	{"invoice_requests", "bill_id", "bills", "park_id"},
	{"lead_activities", "lead_id", "leads", "park_id"},
	{"payment_allocations", "payment_id", "payments", "park_id"},
	{"residency_units", "residency_id", "residencies", "park_id"},
	{"service_attachments", "request_id", "service_requests", "park_id"},
	{"service_comments", "request_id", "service_requests", "park_id"},
	{"unit_change_links", "change_id", "unit_changes", "park_id"},
	{"unit_neighbours", "unit_id", "units", "park_id"},
	{"unit_versions", "unit_id", "units", "park_id"},
	{"policy_application_notes", "application_id", "policy_applications", "enterprise_id"},
	{"policy_disbursements", "application_id", "policy_applications", "enterprise_id"},
	{"policy_documents", "application_id", "policy_applications", "enterprise_id"},
}

// KeyReport says, per child table, how many rows it has and how many carry a distribution key
// other than their parent's (empty, or another park's).
type KeyReport map[string][2]int

// CheckInheritedKeys counts the rows of every child table whose park_id or enterprise_id differs
// from its parent row's: a write path that forgot to copy the key shows here.
func CheckInheritedKeys(ctx context.Context, db *sql.DB) (KeyReport, error) {
	out := KeyReport{}
	for _, k := range inheritedKeys {
		var rows, wrong int
		err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE c.%[4]s IS DISTINCT FROM p.%[4]s)
			FROM %[1]s c LEFT JOIN %[3]s p ON p.id = c.%[2]s`, k.child, k.fk, k.parent, k.key)).Scan(&rows, &wrong)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.child, err)
		}
		out[k.child] = [2]int{rows, wrong}
	}
	return out, nil
}
