package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migration is one step: a SQL file of the engine, or shared Go code that loads data.
type migration struct {
	version int
	name    string
	sql     string
	load    func(ctx context.Context, c conn) error
}

// goMigrations are data steps shared by both engines, numbered among the SQL files.
func (s *Store) goMigrations() []migration {
	return []migration{{version: 2, name: "reference_data", load: s.loadReferenceData}}
}

// Migrate applies every pending migration, each in its own transaction, in version order. It
// refuses a database whose schema is newer than this binary knows: a binary rolled back after
// an upgrade would otherwise write rows the newer schema's rules no longer hold.
func (s *Store) Migrate(ctx context.Context) error {
	steps, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := s.eng.Writer.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	states, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if unknown := Unknown(states); len(unknown) > 0 {
		return &NewerSchemaError{Database: unknown[len(unknown)-1].Version, Binary: steps[len(steps)-1].version}
	}
	for _, m := range steps {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// NewerSchemaError is a database migrated by a newer ParkOS than this one.
type NewerSchemaError struct{ Database, Binary int }

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the database's schema is at version %d, newer than this binary's %d: run the ParkOS that migrated it, or a later one "+
		"(数据库结构版本 %d 高于本程序的 %d，请使用对应或更新版本的 ParkOS)", e.Database, e.Binary, e.Database, e.Binary)
}

// MigrationState is one schema version: this binary's or one the database has that it does not
// know, applied (with when) or pending.
type MigrationState struct {
	Version   int
	Name      string
	AppliedAt string // empty while pending
	Known     bool   // this binary has the step
}

// MigrationStatus lists this binary's migrations with whether each is applied, then any applied
// version the binary does not know (a newer binary's), in version order.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	steps, err := s.migrations()
	if err != nil {
		return nil, err
	}
	applied := map[int]MigrationState{}
	var exists int
	if s.eng.Name == "sqlite" {
		err = s.eng.Reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists)
	} else {
		err = s.eng.Reader.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`).Scan(&exists)
	}
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	if exists > 0 {
		rows, err := s.eng.Reader.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations`)
		if err != nil {
			return nil, fmt.Errorf("migration status: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var m MigrationState
			if err := rows.Scan(&m.Version, &m.Name, &m.AppliedAt); err != nil {
				return nil, err
			}
			applied[m.Version] = m
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]MigrationState, 0, len(steps))
	for _, m := range steps {
		out = append(out, MigrationState{Version: m.version, Name: m.name, AppliedAt: applied[m.version].AppliedAt, Known: true})
		delete(applied, m.version)
	}
	for _, m := range applied {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Unknown are the applied versions a status names that this binary does not know.
func Unknown(states []MigrationState) []MigrationState {
	var out []MigrationState
	for _, m := range states {
		if !m.Known {
			out = append(out, m)
		}
	}
	return out
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.eng.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if s.eng.Lock != nil {
		if err := s.eng.Lock(ctx, tx); err != nil {
			return err
		}
	}
	c := conn{s: s, db: tx}
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if m.load != nil {
		err = m.load(ctx, c)
	} else {
		_, err = tx.ExecContext(ctx, m.sql)
	}
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, s.now().Format("2006-01-02T15:04:05Z")); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(s.eng.Migrations, ".")
	if err != nil {
		return nil, err
	}
	steps := s.goMigrations()
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		num, rest, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration file %s: name must start with a number", e.Name())
		}
		body, err := fs.ReadFile(s.eng.Migrations, e.Name())
		if err != nil {
			return nil, err
		}
		steps = append(steps, migration{version: v, name: rest, sql: string(body)})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })
	for i := 1; i < len(steps); i++ {
		if steps[i].version == steps[i-1].version {
			return nil, fmt.Errorf("two migrations numbered %d", steps[i].version)
		}
	}
	return steps, nil
}

// Columns lists every table's columns, for the test that both engines agree.
func (s *Store) Columns(ctx context.Context) (map[string][]string, error) {
	var q string
	if s.eng.Name == "sqlite" {
		q = `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name`
	} else {
		q = `SELECT table_name, column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() ORDER BY table_name, column_name`
	}
	rows, err := s.eng.Reader.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}
