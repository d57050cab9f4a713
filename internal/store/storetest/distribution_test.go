package storetest

import (
	"context"
	"database/sql"
	"testing"
)

// placement is where a table's rows live in a distributed (Citus) deployment (§14,
// docs/scale-out.md).
type placement string

const (
	// byPark: distributed by park_id, every park's rows together on one worker, so that a
	// park's pages and figures never leave it. parks itself is distributed by its id.
	byPark placement = "park_id"
	// byEnterprise: the enterprise register and what hangs off it, distributed by
	// enterprise_id (enterprises by id): an enterprise may be resident in several parks.
	byEnterprise placement = "enterprise_id"
	// reference: small catalogs and platform-wide rules, copied to every worker.
	reference placement = "reference"
	// coordinator: accounts, sessions and the platform's own queues and bookkeeping, kept on
	// the coordinator, which every request passes through.
	coordinator placement = "coordinator"
)

// placements classifies every table. A new table fails TestEveryTableIsPlaced until it is
// added here, with a thought about where its rows belong.
var placements = map[string]placement{
	"parks": byPark, "park_versions": byPark, "park_attributes": byPark, "park_submissions": byPark, "park_holidays": byPark,
	"park_working_hours": byPark, "park_webhooks": byPark, "park_chain_nodes": byPark, "park_enterprises": byPark,
	"park_figure_years": byPark, "park_figure_blocks": byPark, "park_billing_settings": byPark,
	"zones": byPark, "buildings": byPark, "floors": byPark, "units": byPark, "unit_versions": byPark, "unit_neighbours": byPark,
	"unit_changes": byPark, "unit_change_links": byPark,
	"leads": byPark, "lead_activities": byPark, "holds": byPark, "contracts": byPark, "contract_units": byPark,
	"contract_late_fees": byPark, "residencies": byPark, "residency_units": byPark, "occupancy_snapshots": byPark,
	"occupancy_targets": byPark, "reports": byPark, "pool_entries": byPark, "pool_recognitions": byPark, "pool_tier_changes": byPark,
	"billing_runs": byPark, "bills": byPark, "bill_lines": byPark, "bill_counters": byPark, "payments": byPark,
	"payment_allocations": byPark, "deposit_settlements": byPark, "dunning_sent": byPark, "invoice_requests": byPark,
	"facility_resources": byPark, "facility_charges": byPark, "bookings": byPark, "training_certificates": byPark,
	"service_offerings": byPark, "service_requests": byPark, "service_comments": byPark, "service_attachments": byPark,
	"service_platforms": byPark, "events": byPark, "event_invitations": byPark, "event_registrations": byPark,

	"enterprises": byEnterprise, "enterprise_tags": byEnterprise, "enterprise_chain_nodes": byEnterprise,
	"enterprise_year_facts": byEnterprise, "qualifications": byEnterprise, "invoice_details": byEnterprise,
	"period_enterprises": byEnterprise, "policy_matches": byEnterprise, "policy_stale": byEnterprise,
	"policy_applications": byEnterprise, "policy_application_notes": byEnterprise, "policy_disbursements": byEnterprise,
	"policy_documents": byEnterprise,

	"industry_classes": reference, "chains": reference, "chain_nodes": reference, "custom_indicators": reference,
	"evaluation_schemes": reference, "evaluation_runs": reference, "goals": reference, "goal_actuals": reference,
	"report_periods": reference, "policies": reference, "policy_parks": reference, "billing_tax_rates": reference,
	"service_providers": reference, "service_provider_members": reference, "service_categories": reference,

	"users": coordinator, "user_parks": coordinator, "sessions": coordinator, "api_tokens": coordinator,
	"sign_in_attempts": coordinator, "upload_stash": coordinator, "idempotency_keys": coordinator,
	"notifications": coordinator, "notification_preferences": coordinator, "calendar_feeds": coordinator,
	"outbox": coordinator, "audit_log": coordinator, "schema_migrations": coordinator, "generated_sets": coordinator,
	"policy_rematch_runs": coordinator, "policy_rematches": coordinator, "billing_reminder_runs": coordinator,
}

// TestEveryTableIsPlaced: on both engines, every table is placed, every placed table exists, and
// every distributed table carries its distribution key as a column that is never empty.
func TestEveryTableIsPlaced(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			_, db := Raw(t, eng)
			tables, err := tableColumns(t.Context(), db, eng.Name)
			if err != nil {
				t.Fatal(err)
			}
			for table, cols := range tables {
				where, ok := placements[table]
				if !ok {
					t.Errorf("table %s is not placed: add it to placements (distributed by park_id or enterprise_id, reference, or coordinator) and to docs/scale-out.md", table)
					continue
				}
				if where != byPark && where != byEnterprise {
					continue
				}
				key := string(where)
				if (table == "parks" && where == byPark) || (table == "enterprises" && where == byEnterprise) {
					key = "id"
				}
				if notNull, has := cols[key]; !has || !notNull {
					t.Errorf("%s is distributed by %s but has no NOT NULL %s column", table, where, key)
				}
			}
			for table := range placements {
				if _, ok := tables[table]; !ok {
					t.Errorf("placements names %s, which is not a table", table)
				}
			}
		})
	}
}

// tableColumns lists every table with its columns and whether each is NOT NULL (a SQLite
// primary key column counts as NOT NULL, as it does on PostgreSQL).
func tableColumns(ctx context.Context, db *sql.DB, engine string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	var q string
	if engine == "postgres" {
		q = `SELECT c.table_name, c.column_name, c.is_nullable = 'NO' FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`
	} else {
		q = `SELECT m.name, p.name, p."notnull" OR p.pk > 0 FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		var notNull bool
		if err := rows.Scan(&table, &col, &notNull); err != nil {
			return nil, err
		}
		if out[table] == nil {
			out[table] = map[string]bool{}
		}
		out[table][col] = notNull
	}
	return out, rows.Err()
}
