package sqlite

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
)

// writesOf finds the tables a trigger's body inserts into, updates or deletes from.
var writesOf = regexp.MustCompile(`(?i)\b(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM)\s+(\w+)`)

// Every connection sets recursive_triggers, so a trigger that wrote its own table, or a cycle of
// triggers, would fire again and again. None may.
func TestNoTriggerCanReachItsOwnTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := Open(path, civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	_, reader, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rows, err := reader.QueryContext(ctx, `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	writes := map[string][]string{} // table → tables its triggers write
	for rows.Next() {
		var table, sql string
		if err := rows.Scan(&table, &sql); err != nil {
			t.Fatal(err)
		}
		table = strings.ToLower(table)
		_, body, _ := strings.Cut(strings.ToUpper(sql), "BEGIN")
		for _, m := range writesOf.FindAllStringSubmatch(body, -1) {
			if w := strings.ToLower(m[1]); w != "set" { // "DO UPDATE SET" of an upsert
				writes[table] = append(writes[table], w)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(writes) == 0 {
		t.Fatal("no trigger writes anything: the triggers were not read")
	}
	for table := range writes {
		seen := map[string]bool{}
		next := writes[table]
		for len(next) > 0 {
			w := next[0]
			next = next[1:]
			if w == table {
				t.Errorf("a trigger on %s writes, directly or through others, %s itself", table, table)
				break
			}
			if !seen[w] {
				seen[w] = true
				next = append(next, writes[w]...)
			}
		}
	}
}
