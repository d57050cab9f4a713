// Package postgres opens the PostgreSQL engine through pgx/v5.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is an arbitrary constant shared by every ParkOS process, so that two servers
// starting at once migrate one after the other.
const migrationLock = 7_272_660_501

// Open connects to the database at the postgres:// URL.
func Open(url string, clock civil.Clock) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.New(sqlstore.Engine{
		Name:           "postgres",
		Reader:         db,
		Writer:         db,
		Migrations:     sub,
		NumberedParams: true,
		TypedValues:    true,
		RowLocks:       true,
		IsUnique:       func(err error) bool { return hasCode(err, "23505") },
		IsForeignKey:   func(err error) bool { return hasCode(err, "23503") },
		// 23P01: exclusion_violation, by the constraint of that name.
		Excluded: func(err error, constraint string) bool {
			var e *pgconn.PgError
			return errors.As(err, &e) && e.Code == "23P01" && e.ConstraintName == constraint
		},
		Lock: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock)
			return err
		},
	}, clock), nil
}

func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}
