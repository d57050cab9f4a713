// Package storetest is the contract every storage engine must pass, and the helpers that open
// a fresh database on each engine for tests elsewhere (API, web).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store/postgres"
	"github.com/parkos/parkos/internal/store/sqlite"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// Engine opens a fresh, migrated, empty database for one test.
type Engine struct {
	Name string
	Open func(t testing.TB) *sqlstore.Store
}

// Engines is SQLite always, and PostgreSQL when PARKOS_TEST_PG holds a server URL.
func Engines(t testing.TB) []Engine {
	engines := []Engine{{"sqlite", OpenSQLite}}
	if os.Getenv("PARKOS_TEST_PG") == "" {
		t.Log("PostgreSQL tests skipped: set PARKOS_TEST_PG=postgres://… to run them (.ci/run does)")
		return engines
	}
	return append(engines, Engine{"postgres", OpenPostgres})
}

// OpenSQLite makes a migrated database in a temp file.
func OpenSQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, _ := openSQLite(t)
	return s
}

func openSQLite(t testing.TB) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parkos.db")
	s, err := sqlite.Open(path, civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	migrate(t, s)
	return s, "file:" + path
}

// Raw opens a second, plain connection to the test database of eng, bypassing the store: for
// tests that play an attacker or a broken client.
func Raw(t testing.TB, eng Engine) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	var s *sqlstore.Store
	var driver, dsn string
	if eng.Name == "sqlite" {
		s, dsn = openSQLite(t)
		driver = "sqlite"
	} else {
		s, dsn = openPostgres(t)
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// Addr opens a fresh, migrated database on eng and returns its store and its --db address.
func Addr(t testing.TB, eng Engine) (*sqlstore.Store, string) {
	t.Helper()
	if eng.Name == "sqlite" {
		s, dsn := openSQLite(t)
		return s, "sqlite:" + strings.TrimPrefix(dsn, "file:")
	}
	return openPostgres(t)
}

// EmptyAddr is the --db address of an empty database on eng that a store opened on like's
// address would find its tables in: a new SQLite file, or a new database of the PostgreSQL
// server with like's schema name (not yet there).
func EmptyAddr(t testing.TB, eng Engine, like string) string {
	t.Helper()
	if eng.Name == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "empty.db")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "r_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", os.Getenv("PARKOS_TEST_PG"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(like)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Twin opens a fresh database on eng and returns its store and a function that opens another
// store on the same database, as a second server process would: for tests of what one process
// sees of another's writes.
func Twin(t testing.TB, eng Engine) (*sqlstore.Store, func() *sqlstore.Store) {
	t.Helper()
	var s *sqlstore.Store
	var dsn string
	if eng.Name == "sqlite" {
		s, dsn = openSQLite(t)
	} else {
		s, dsn = openPostgres(t)
	}
	return s, func() *sqlstore.Store {
		var other *sqlstore.Store
		var err error
		if eng.Name == "sqlite" {
			other, err = sqlite.Open(strings.TrimPrefix(dsn, "file:"), civil.SystemClock{})
		} else {
			other, err = postgres.Open(dsn, civil.SystemClock{})
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		return other
	}
}

// OpenPostgres makes a migrated database in a fresh schema of the PARKOS_TEST_PG server, and
// drops the schema when the test ends.
func OpenPostgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, _ := openPostgres(t)
	return s
}

func openPostgres(t testing.TB) (*sqlstore.Store, string) {
	t.Helper()
	base := os.Getenv("PARKOS_TEST_PG")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: PARKOS_TEST_PG is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(u.String(), civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	migrate(t, s)
	return s, u.String()
}

func migrate(t testing.TB, s *sqlstore.Store) {
	t.Helper()
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// Runs before the close: whatever the test wrote, every child row carries its parent's
	// distribution key (§14), so a write path that forgets it fails the test that took it.
	t.Cleanup(func() {
		keys, err := CheckInheritedKeys(context.Background(), s.Pools()["reader"])
		if err != nil {
			t.Errorf("checking the distribution keys: %v", err)
		}
		for table, n := range keys {
			if n[1] != 0 {
				t.Errorf("%s: %d of %d rows do not carry their parent's distribution key", table, n[1], n[0])
			}
		}
	})
}
