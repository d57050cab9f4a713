// Package postgres opens the PostgreSQL engine through pgx/v5.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
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
		Listen: func(ctx context.Context, channel string, ready func(), heard func(string)) error {
			return listen(ctx, url, channel, ready, heard)
		},
	}, clock), nil
}

// OpenReplica connects to a streaming standby at url, for the reads that tolerate its lag; a
// server that is not in recovery is refused, so that a mistyped URL never sends reads to a
// stale or unrelated copy unnoticed.
func OpenReplica(url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	var standby bool
	if err := db.QueryRow("SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		db.Close()
		return nil, fmt.Errorf("--db-replica: connect: %w", err)
	}
	if !standby {
		db.Close()
		return nil, errors.New("--db-replica: the server is not a standby (pg_is_in_recovery() is false); give the URL of a streaming replica of --db")
	}
	return db, nil
}

// listen holds one connection of its own outside the pool, since a pooled one could be handed
// to a query between notifications.
func listen(ctx context.Context, url, channel string, ready func(), heard func(string)) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		heard(n.Payload)
	}
}

func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}
