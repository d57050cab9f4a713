// Package sqlite opens the embedded SQLite engine (modernc.org/sqlite, pure Go): WAL,
// synchronous=NORMAL, a busy timeout and foreign keys, with one writer connection whose
// transactions take the write lock at BEGIN and a pool of readers, so writers queue in Go
// instead of failing with "database is locked".
package sqlite

import (
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// basePragmas are set on every connection of both pools, as it is opened. recursive_triggers
// makes the rows an INSERT OR REPLACE deletes fire their delete triggers, so the audit trail's
// refuses a REPLACE too (no trigger writes the table it is on, so none recurses).
var basePragmas = []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(ON)", "recursive_triggers(ON)"}

// dsn is the connection string of one pool: the base pragmas plus the pool's own settings,
// added to them (a pool's own _pragma list extends the base list, never replaces it).
func dsn(path string, extra url.Values) string {
	q := url.Values{"_pragma": slices.Clone(basePragmas)}
	for k, vs := range extra {
		q[k] = append(q[k], vs...)
	}
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes what a file: URI would otherwise read as its query, its fragment or an
// escape, so that a path such as /data/park#2/parkos.db opens that file.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Open opens (creating if needed) the database file at path.
func Open(path string, clock civil.Clock) (*sqlstore.Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
		}
	}
	writer, reader, err := openPools(path)
	if err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.New(sqlstore.Engine{
		Name:             "sqlite",
		Reader:           reader,
		Writer:           writer,
		Migrations:       sub,
		DeferCheckpoints: true,
		Backup:           backupTo,
		IsUnique: func(err error) bool {
			return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
		},
		IsForeignKey: func(err error) bool { return hasCode(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) },
		// The overlap rules are triggers that abort with the constraint's name.
		Excluded: func(err error, constraint string) bool {
			return hasCode(err, sqlite3.SQLITE_CONSTRAINT_TRIGGER) && strings.Contains(err.Error(), constraint)
		},
	}, clock), nil
}

// backupTo copies the database of driverConn, as its open read transaction sees it, to the new
// or empty file at path with SQLite's online backup, in one step: the backup starts over at a
// step that meets a change made since the last, and one step reads through one transaction.
// The copy is not synced (the caller checks it) and keeps no journal while it is written.
func backupTo(driverConn any, path string) error {
	src, ok := driverConn.(interface {
		NewBackup(dstURI string) (*sqlite.Backup, error)
	})
	if !ok {
		return fmt.Errorf("sqlite: %T cannot back up", driverConn)
	}
	b, err := src.NewBackup("file:" + uriPath.Replace(path) + "?" + url.Values{"_pragma": {"journal_mode(OFF)", "synchronous(OFF)"}}.Encode())
	if err != nil {
		return err
	}
	if _, err := b.Step(-1); err != nil {
		return errors.Join(err, b.Finish())
	}
	return b.Finish()
}

// openPools opens the writer (one connection, transactions taking the write lock at BEGIN)
// and the readers (query_only), each connection with the base pragmas. The writer keeps its
// statement journals in memory (temp_store): once one statement of a long transaction had
// spilled its journal to a file, every later statement wrote each page it changed there, two
// system calls a page, until the commit.
func openPools(path string) (writer, reader *sql.DB, err error) {
	writer, err = sql.Open("sqlite", dsn(path, url.Values{"_txlock": {"immediate"}, "_pragma": {"cache_size(-32768)", "temp_store(MEMORY)"}}))
	if err != nil {
		return nil, nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	reader, err = sql.Open("sqlite", dsn(path, url.Values{"_pragma": {"query_only(1)"}}))
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	readers := max(4, 2*runtime.GOMAXPROCS(0)) // as many as the web server lets read at once
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	reader.SetConnMaxLifetime(0)
	return writer, reader, nil
}

func hasCode(err error, codes ...int) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code() == c {
			return true
		}
	}
	return false
}
