package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
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

// A snapshot copies the database as it stood when it was taken: a write committed after that,
// which does not wait for the snapshot, is not in the copy, and the copy is a sound database
// of its own.
func TestASnapshotHoldsTheDatabaseAsTaken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := Open(filepath.Join(dir, "p.db"), civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	writer := st.Pools()["writer"]
	if _, err := writer.ExecContext(ctx, "CREATE TABLE scratch (n INTEGER); INSERT INTO scratch VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	snap, err := st.TakeSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	soon, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := writer.ExecContext(soon, "INSERT INTO scratch VALUES (2)"); err != nil {
		t.Fatalf("a write beside the snapshot: %v", err)
	}
	copyPath := filepath.Join(dir, "copy #1.db")
	if err := snap.WriteTo(copyPath); err != nil {
		t.Fatal(err)
	}
	if err := snap.Close(); err != nil {
		t.Fatal(err)
	}
	if inUse := st.Pools()["reader"].Stats().InUse; inUse != 0 {
		t.Fatalf("%d reader connections still held after Close", inUse)
	}
	copied, err := Open(copyPath, civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	var rows, check string
	if err := copied.Pools()["writer"].QueryRowContext(ctx, "SELECT group_concat(n) FROM scratch").Scan(&rows); err != nil || rows != "1" {
		t.Fatalf("the copy holds %q (%v), want the row written before the snapshot alone", rows, err)
	}
	if err := copied.Pools()["writer"].QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("the copy's integrity check: %q (%v)", check, err)
	}
}
