package api

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/storetest"
)

// bigTables grow with the parks, enterprises and years a deployment holds: a read that scans
// one whole is a read that slows down as the data grows. The rest (parks, buildings, zones,
// reporting periods, reference data, users, tokens) stay small.
var bigTables = []string{"units", "unit_versions", "unit_lineage", "enterprises", "residencies", "qualifications",
	"contracts", "contract_units", "leads", "lead_activities", "holds", "reports", "report_period_members",
	"audit_log", "idempotency_keys", "floors"}

// fullScan finds a plan step that reads a whole big table: SQLite's "SCAN t" without an index,
// PostgreSQL's "Seq Scan on t" (sequential scans are priced out, so one left means no index
// can serve the step).
var fullScan = regexp.MustCompile(`(?:^|\s)SCAN (\w+)(?: AS \w+| \w+)?$|Seq Scan on (\w+)`)

// TestListQueriesUseIndexes runs every GET of the route table as four roles on both engines,
// collects each read query the store runs, and asks the engine for its plan: no step may read
// a whole big table. The plans are taken with the queries' own arguments.
func TestListQueriesUseIndexes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		mine := newOwn(t, e)
		type call struct {
			query string
			args  []any
		}
		var mu sync.Mutex
		seen := map[string]call{}
		e.store.ObserveReads(func(q string, args []any) {
			mu.Lock()
			defer mu.Unlock()
			if _, ok := seen[q]; !ok {
				seen[q] = call{q, append([]any(nil), args...)}
			}
		})
		park := e.world.Parks[0].ID
		for _, rt := range e.api.routes {
			if rt.Method != "GET" {
				continue
			}
			path := strings.Replace(rt.Pattern, "{id}", mine.ids[segment("GET "+rt.Pattern)], 1)
			if strings.Contains(path, "{id}") {
				continue
			}
			queries := []string{"?park_id=" + park, "?park_id=" + park + "&q=A", "?q=A", "?q=" + storetest.CreditCode(1), "?sort=-created_at"}
			for _, key := range sortKeys(rt) {
				queries = append(queries, "?sort="+key, "?sort=-"+key, "?park_id="+park+"&sort="+key)
			}
			for _, query := range queries {
				for _, role := range []identity.Role{identity.Admin, identity.Authority, identity.ParkManager, identity.EntAdmin} {
					e.raw(role, "GET", path+query, nil)
				}
			}
		}
		e.store.ObserveReads(nil)
		queries := make([]string, 0, len(seen))
		for q := range seen {
			queries = append(queries, q)
		}
		sort.Strings(queries)
		for _, q := range queries {
			// Figures over every park read everything by design; a scope with no parks reads
			// nothing (1=0) whatever the plan says.
			if strings.Contains(q, "/* all parks */") || strings.Contains(q, "WHERE 1=0") {
				continue
			}
			plan, err := e.store.Explain(context.Background(), q, seen[q].args...)
			if err != nil {
				t.Errorf("explaining %s: %v", oneLine(q), err)
				continue
			}
			for _, step := range plan {
				m := fullScan.FindStringSubmatch(strings.TrimSpace(step))
				if m == nil {
					continue
				}
				table := m[1] + m[2]
				if real, ok := aliases(q)[table]; ok {
					table = real // SQLite names a step by the table's alias
				}
				for _, big := range bigTables {
					if table == big {
						t.Errorf("%s reads all of %s:\n  %s\n  plan: %s", e.store.Engine(), table, oneLine(q), strings.Join(plan, " | "))
					}
				}
			}
		}
		if len(queries) < 50 {
			t.Errorf("only %d distinct queries seen", len(queries))
		}
	})
}

// sortKeys are the keys a list route documents for its sort parameter.
func sortKeys(rt route) []string {
	for _, p := range rt.Query {
		if _, list, ok := strings.Cut(p.Desc, "sort: "); ok && p.Name == "sort" {
			list, _, _ = strings.Cut(list, "（")
			return strings.Split(list, ", ")
		}
	}
	return nil
}

var fromJoin = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)

// aliases maps the aliases of a query's tables to the tables.
func aliases(q string) map[string]string {
	out := map[string]string{}
	for _, m := range fromJoin.FindAllStringSubmatch(q, -1) {
		out[m[1]] = m[1]
		if m[2] != "" && !strings.EqualFold(m[2], "WHERE") && !strings.EqualFold(m[2], "ON") && !strings.EqualFold(m[2], "JOIN") {
			out[m[2]] = m[1]
		}
	}
	return out
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }
