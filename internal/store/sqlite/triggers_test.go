package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
)

var (
	sqlComments  = regexp.MustCompile(`(?s)--[^\n]*|/\*.*?\*/`)
	triggerEvent = regexp.MustCompile(`(?i)\b(?:BEFORE|AFTER|INSTEAD\s+OF)?\s*\b(INSERT|UPDATE|DELETE)\b[^;]*?\bON\b`)
	// tableName is what a statement names: schema-qualified, quoted or bracketed.
	tableName = `\s*(?:\w+\s*\.\s*)?["\[` + "`" + `]?(\w+)`
	writeForm = regexp.MustCompile(`(?i)\b(?:(INSERT)(?:\s+OR\s+(\w+))?\s+INTO|(REPLACE)\s+INTO|(UPDATE)(?:\s+OR\s+\w+)?|(DELETE)\s+FROM)` + tableName)
)

// writeNode is a kind of write to a table: what fires the table's triggers of that event.
type writeNode struct{ table, event string }

// Every connection sets recursive_triggers, so a trigger whose writes lead, through other
// triggers or foreign-key actions, back to a write that fires it would fire again and again.
// None may.
func TestNoTriggerCanFireItself(t *testing.T) {
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
	writer, reader, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	defer reader.Close()

	edges := map[writeNode][]writeNode{}
	type trigger struct {
		name string
		on   writeNode
	}
	var triggers []trigger
	eachRow(t, reader, `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`, func(r *sql.Rows) {
		var name, table, text string
		if err := r.Scan(&name, &table, &text); err != nil {
			t.Fatal(err)
		}
		text = sqlComments.ReplaceAllString(text, " ")
		head, body, ok := strings.Cut(strings.ToUpper(text), "BEGIN")
		event := triggerEvent.FindStringSubmatch(head)
		if !ok || event == nil {
			t.Fatalf("trigger %s: cannot read its event or body", name)
		}
		on := writeNode{strings.ToLower(table), event[1]}
		triggers = append(triggers, trigger{name, on})
		for _, stmt := range strings.Split(body, ";") {
			for _, m := range writeForm.FindAllStringSubmatch(stmt, -1) {
				target := strings.ToLower(m[6])
				switch {
				case m[1] != "": // INSERT, perhaps OR REPLACE, perhaps an upsert
					edges[on] = append(edges[on], writeNode{target, "INSERT"})
					if m[2] == "REPLACE" {
						edges[on] = append(edges[on], writeNode{target, "DELETE"})
					}
					if strings.Contains(stmt, "DO UPDATE") {
						edges[on] = append(edges[on], writeNode{target, "UPDATE"})
					}
				case m[3] != "":
					edges[on] = append(edges[on], writeNode{target, "INSERT"}, writeNode{target, "DELETE"})
				case m[4] != "":
					edges[on] = append(edges[on], writeNode{target, "UPDATE"})
				case m[5] != "":
					edges[on] = append(edges[on], writeNode{target, "DELETE"})
				}
			}
		}
	})
	// A foreign key's actions write the child when the parent is deleted or its key updated.
	eachRow(t, reader, `SELECT m.name, f."table", f.on_update, f.on_delete FROM sqlite_master m
		JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`, func(r *sql.Rows) {
		var child, parent, onUpdate, onDelete string
		if err := r.Scan(&child, &parent, &onUpdate, &onDelete); err != nil {
			t.Fatal(err)
		}
		child, parent = strings.ToLower(child), strings.ToLower(parent)
		for event, action := range map[string]string{"UPDATE": onUpdate, "DELETE": onDelete} {
			switch action {
			case "CASCADE":
				edges[writeNode{parent, event}] = append(edges[writeNode{parent, event}], writeNode{child, event})
			case "SET NULL", "SET DEFAULT":
				edges[writeNode{parent, event}] = append(edges[writeNode{parent, event}], writeNode{child, "UPDATE"})
			}
		}
	})
	if len(triggers) < 50 || len(edges) < 20 {
		t.Fatalf("read %d triggers and %d kinds of write that lead to others: the schema was not read", len(triggers), len(edges))
	}
	for _, tr := range triggers {
		seen := map[writeNode]bool{}
		next := edges[tr.on]
		for len(next) > 0 {
			w := next[0]
			next = next[1:]
			if w == tr.on {
				t.Errorf("trigger %s (%s on %s) leads back to the write that fires it", tr.name, tr.on.event, tr.on.table)
				break
			}
			if !seen[w] {
				seen[w] = true
				next = append(next, edges[w]...)
			}
		}
	}
}

func eachRow(t *testing.T, db *sql.DB, query string, each func(*sql.Rows)) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		each(rows)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
