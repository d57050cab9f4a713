package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestEveryConnectionHasItsPragmas reads the settings back from several connections of each
// pool held at once, so a pool whose connection string lost the base pragmas (readers once
// ran with busy_timeout 0 and failed at once on a lock) is caught.
func TestEveryConnectionHasItsPragmas(t *testing.T) {
	writer, reader, err := openPools(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	defer reader.Close()
	ctx := context.Background()
	want := map[string]string{"busy_timeout": "10000", "foreign_keys": "1", "journal_mode": "wal", "synchronous": "1", "recursive_triggers": "1"}
	check := func(pool string, db *sql.DB, conns int, queryOnly, tempStore string) {
		want["query_only"], want["temp_store"] = queryOnly, tempStore
		var held []*sql.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for i := range conns {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
			for pragma, value := range want {
				var got string
				if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("%s connection %d: PRAGMA %s: %v", pool, i, pragma, err)
				}
				if got != value {
					t.Errorf("%s connection %d: %s = %s, want %s", pool, i, pragma, got, value)
				}
			}
		}
	}
	check("writer", writer, 1, "0", "2") // statement journals in memory (MEMORY is 2)
	check("reader", reader, 4, "1", "0")
}

// A path with the characters a file: URI gives a meaning to opens that very file.
func TestPathsWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "park#2 ?100%")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "parkos.db")
	writer, reader, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if _, err := writer.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	writer.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at %s: %v", path, err)
	}
}
