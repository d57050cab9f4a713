package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SchemaVersion is the newest migration applied to the database (0 on an empty one).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	states, err := s.MigrationStatus(ctx)
	if err != nil {
		return 0, err
	}
	v := 0
	for _, m := range states {
		if m.AppliedAt != "" {
			v = max(v, m.Version)
		}
	}
	return v, nil
}

// KnownSchemaVersion is the newest migration this binary has.
func (s *Store) KnownSchemaVersion() (int, error) {
	steps, err := s.migrations()
	if err != nil || len(steps) == 0 {
		return 0, err
	}
	return steps[len(steps)-1].version, nil
}

// CurrentSchema is the PostgreSQL schema the store's tables live in ("" on SQLite).
func (s *Store) CurrentSchema(ctx context.Context) (string, error) {
	if s.eng.Name == "sqlite" {
		return "", nil
	}
	var name string
	err := s.eng.Reader.QueryRowContext(ctx, `SELECT COALESCE(current_schema(), '')`).Scan(&name)
	return name, err
}

// VacuumInto writes a consistent copy of a SQLite database to path while it keeps serving.
func (s *Store) VacuumInto(ctx context.Context, path string) error {
	if s.eng.Name != "sqlite" {
		return fmt.Errorf("VACUUM INTO is SQLite's")
	}
	_, err := s.eng.Writer.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// Snapshot is the database as it stood when TakeSnapshot returned, held by a read transaction
// on a reader connection: writes go on beside it, and WriteTo copies what it saw.
type Snapshot struct {
	s    *Store
	conn *sql.Conn
}

// TakeSnapshot fixes what WriteTo will copy. Close it when done: until then the write-ahead log
// cannot be folded back past it.
func (s *Store) TakeSnapshot(ctx context.Context) (*Snapshot, error) {
	if s.eng.Backup == nil {
		return nil, fmt.Errorf("a snapshot to a file is taken only of a SQLite database, not of %s", s.eng.Name)
	}
	c, err := s.eng.Reader.Conn(ctx)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{s: s, conn: c}
	// SQLite begins a read transaction at its first read, not at BEGIN.
	var n int
	if _, err := c.ExecContext(ctx, "BEGIN"); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema").Scan(&n); err != nil {
		return nil, errors.Join(err, snap.Close())
	}
	return snap, nil
}

// WriteTo copies the snapshot to a new file at path.
func (p *Snapshot) WriteTo(path string) error {
	return p.conn.Raw(func(dc any) error { return p.s.eng.Backup(dc, path) })
}

// Close ends the snapshot's read transaction and gives its connection back; a connection
// whose transaction would not end is dropped, never reused.
func (p *Snapshot) Close() error {
	_, err := p.conn.ExecContext(context.Background(), "ROLLBACK")
	if err != nil {
		_ = p.conn.Raw(func(any) error { return driver.ErrBadConn })
		_ = p.conn.Close() // ErrConnDone: the connection is gone already
		return err
	}
	return p.conn.Close()
}

// DropSchema removes a PostgreSQL schema and everything in it, for a dump of it to be loaded.
func (s *Store) DropSchema(ctx context.Context, schema string) error {
	if s.eng.Name == "sqlite" {
		return fmt.Errorf("schemas are PostgreSQL's")
	}
	_, err := s.eng.Writer.ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+strings.ReplaceAll(schema, `"`, `""`)+`" CASCADE`)
	return err
}

// CreateSchema makes an empty PostgreSQL schema.
func (s *Store) CreateSchema(ctx context.Context, schema string) error {
	if s.eng.Name == "sqlite" {
		return fmt.Errorf("schemas are PostgreSQL's")
	}
	_, err := s.eng.Writer.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS "`+strings.ReplaceAll(schema, `"`, `""`)+`"`)
	return err
}

// EnsureExtensions installs the PostgreSQL extensions the migrations use (btree_gist, for the
// overlap rules), as a restored schema's constraints expect.
func (s *Store) EnsureExtensions(ctx context.Context) error {
	_, err := s.eng.Writer.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public`)
	return err
}

// Tables lists the store's tables, in name order.
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	cols, err := s.Columns(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(cols))
	for t := range cols {
		out = append(out, t)
	}
	sort.Strings(out)
	return out, nil
}

// TableDigest is a table's row count and a hash of its content, rows in key order, for the
// test that a restored database is the one backed up.
func (s *Store) TableDigest(ctx context.Context, table string) (rows int, digest string, err error) {
	cols, err := s.Columns(ctx)
	if err != nil {
		return 0, "", err
	}
	names, ok := cols[table]
	if !ok {
		return 0, "", fmt.Errorf("no table %s", table)
	}
	quoted := make([]string, len(names))
	for i, c := range names {
		quoted[i] = `"` + c + `"`
	}
	r, err := s.eng.Reader.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+table+`" ORDER BY `+strings.Join(quoted, ", "))
	if err != nil {
		return 0, "", err
	}
	defer r.Close()
	h := newDigest()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for r.Next() {
		if err := r.Scan(ptrs...); err != nil {
			return 0, "", err
		}
		rows++
		h.row(vals)
	}
	return rows, h.sum(), r.Err()
}
