package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

var generatedSetCols = []string{"id", "scale", "seed", "started_at", "finished_at"}

// Bulk rows reach the table as written, whichever way the engine loads them (COPY's text
// format on PostgreSQL, where tabs, line breaks, backslashes and "\N" are syntax).
func TestBulkRowsArriveAsWritten(t *testing.T) {
	ctx := context.Background()
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st, db := Raw(t, eng)
			texts := []string{"tab\there", "line\nbreak\r\n", `back\slash\`, `\N`, "", "合成园区 é ✓", `\.`}
			at := time.Date(2026, 6, 30, 23, 59, 58, 123456000, time.FixedZone("CST", 8*3600))
			var rows [][]any
			for i, s := range texts {
				var finished any
				if i%2 == 0 {
					finished = at.Add(time.Duration(i) * time.Hour)
				}
				rows = append(rows, []any{fmt.Sprintf("bulk-%d", i), s, int64(1)<<62 + int64(i), at, finished})
			}
			if err := st.BulkLoad(ctx, identity.System(), func(b *sqlstore.Bulk) error {
				return b.Insert("generated_sets", generatedSetCols, rows)
			}); err != nil {
				t.Fatal(err)
			}
			got, err := db.QueryContext(ctx, `SELECT scale, seed, started_at, finished_at FROM generated_sets ORDER BY seed`)
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			i := 0
			for ; got.Next(); i++ {
				var scale string
				var seed int64
				var started, finished any
				if err := got.Scan(&scale, &seed, &started, &finished); err != nil {
					t.Fatal(err)
				}
				if scale != texts[i] || seed != int64(1)<<62+int64(i) {
					t.Errorf("row %d: %q %d, want %q %d", i, scale, seed, texts[i], int64(1)<<62+int64(i))
				}
				if !sameInstant(t, started, at) || (finished == nil) != (i%2 == 1) {
					t.Errorf("row %d: started %v, finished %v", i, started, finished)
				}
			}
			if i != len(texts) {
				t.Fatalf("%d rows, want %d", i, len(texts))
			}
		})
	}
}

// sameInstant compares a time read back (a time.Time, or text on SQLite) with want.
func sameInstant(t *testing.T, v any, want time.Time) bool {
	switch x := v.(type) {
	case time.Time:
		return x.Equal(want)
	case string:
		got, err := time.Parse(time.RFC3339Nano, strings.Replace(x, " ", "T", 1))
		if err != nil {
			got, err = time.Parse("2006-01-02 15:04:05.999999999-07:00", x)
		}
		return err == nil && got.Equal(want)
	}
	t.Errorf("a time read back as %T", v)
	return false
}

// A bulk queue writes every load, each whole or not at all, and names the load that failed.
func TestBulkQueueWritesEveryLoadOrNamesTheFailure(t *testing.T) {
	ctx := context.Background()
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st, db := Raw(t, eng)
			if _, err := st.NewBulkQueue(ctx, identity.Scope{Role: identity.Admin, UserID: "someone"}, 2, 2); !apperr.Is(err, apperr.Forbidden) {
				t.Fatalf("a signed-in administrator's bulk queue: %v", err)
			}
			load := func(q *sqlstore.BulkQueue, n int, ids ...string) error {
				return q.Load(fmt.Sprintf("load %d", n), func(b *sqlstore.Bulk) error {
					var rows [][]any
					for _, id := range ids {
						rows = append(rows, []any{id, "queued", n, time.Now(), nil})
					}
					return b.Insert("generated_sets", generatedSetCols, rows)
				})
			}
			q, err := st.NewBulkQueue(ctx, identity.System(), 2, 2)
			if err != nil {
				t.Fatal(err)
			}
			for n := range 20 {
				if err := load(q, n, fmt.Sprintf("q%d-a", n), fmt.Sprintf("q%d-b", n)); err != nil {
					t.Fatal(err)
				}
			}
			if err := q.Close(); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, `SELECT count(*) FROM generated_sets WHERE scale = 'queued'`); n != 40 {
				t.Fatalf("%d rows written by 20 loads of 2", n)
			}
			q, err = st.NewBulkQueue(ctx, identity.System(), 2, 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := load(q, 20, "q20-a", "q20-b"); err != nil {
				t.Fatal(err)
			}
			if err := load(q, 21, "q21-a", "q21-a"); err != nil { // the same id twice
				t.Fatal(err)
			}
			err = q.Close()
			if err == nil || !strings.Contains(err.Error(), "load 21: generated_sets") {
				t.Fatalf("a load writing one id twice: %v", err)
			}
			if n := count(t, db, `SELECT count(*) FROM generated_sets WHERE id = 'q21-a'`); n != 0 {
				t.Fatalf("the failed load left %d rows", n)
			}
		})
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A bulk load whose work panics ends its transaction: nothing it wrote stays, and the next load
// is not kept waiting for the connection.
func TestBulkLoadThatPanicsLeavesNothingOpen(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st, db := Raw(t, eng)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			began := time.Now()
			func() {
				defer func() { _ = recover() }()
				_ = st.BulkLoad(ctx, identity.System(), func(b *sqlstore.Bulk) error {
					if err := b.Insert("generated_sets", generatedSetCols, [][]any{{"panicked", "x", 1, time.Now(), nil}}); err != nil {
						return err
					}
					panic("the generator failed")
				})
			}()
			if err := st.BulkLoad(ctx, identity.System(), func(b *sqlstore.Bulk) error {
				return b.Insert("generated_sets", generatedSetCols, [][]any{{"after", "x", 2, time.Now(), nil}})
			}); err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(began); waited > 5*time.Second {
				t.Fatalf("the load after a panic waited %s", waited)
			}
			if n := count(t, db, `SELECT count(*) FROM generated_sets WHERE id = 'panicked'`); n != 0 {
				t.Fatalf("a panicked load left %d rows", n)
			}
		})
	}
}
