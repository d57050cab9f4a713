// Package postgres opens the PostgreSQL engine through pgx/v5.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

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
		CopyIn: copyRows,
	}, clock), nil
}

// replicaWait is how long OpenReplica waits for the standby to replay the primary's
// migrations before it refuses it.
const replicaWait = 10 * time.Second

// MaxReplicaLag is how far (in bytes of WAL) a standby may be behind before its reads go back
// to the primary.
const MaxReplicaLag = 64 << 20

// OpenReplica connects to a streaming standby of primary at url, for the reads that tolerate
// its lag. It refuses, so that a mistyped URL never sends reads to a stale or unrelated copy: a
// server that is not in recovery, a standby of another cluster or database, and one whose
// migrations differ from the primary's once it has had replicaWait to catch up.
func OpenReplica(ctx context.Context, url string, primary *sql.DB) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := checkReplica(ctx, db, primary); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func checkReplica(ctx context.Context, replica, primary *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, replicaWait+5*time.Second)
	defer cancel()
	type identity struct {
		standby bool
		system  int64
		dbName  string
	}
	read := func(db *sql.DB) (identity, error) {
		var id identity
		err := db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), (SELECT system_identifier FROM pg_control_system()), current_database()`).
			Scan(&id.standby, &id.system, &id.dbName)
		return id, err
	}
	r, err := read(replica)
	if err != nil {
		return fmt.Errorf("--db-replica：无法连接 / cannot connect: %w", err)
	}
	p, err := read(primary)
	if err != nil {
		return err
	}
	switch {
	case !r.standby:
		return errors.New("--db-replica：该服务器不是备库（pg_is_in_recovery() 为 false），请给出 --db 的流复制备库 / the server is not a standby (pg_is_in_recovery() is false); give the URL of a streaming replica of --db")
	case r.system != p.system:
		return errors.New("--db-replica：该备库复制的是另一个集群 / the standby replicates another cluster than --db")
	case r.dbName != p.dbName:
		return fmt.Errorf("--db-replica：数据库 %q 与 --db 的 %q 不同 / names database %q, but --db names %q", r.dbName, p.dbName, r.dbName, p.dbName)
	}
	migrations := func(db *sql.DB) (string, error) {
		var list string
		err := db.QueryRowContext(ctx, `SELECT COALESCE(string_agg(version || '@' || applied_at, ',' ORDER BY version), '') FROM schema_migrations`).Scan(&list)
		return list, err
	}
	want, err := migrations(primary)
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(replicaWait); ; time.Sleep(100 * time.Millisecond) {
		got, err := migrations(replica)
		if err == nil && got == want {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("--db-replica：备库的表结构与 --db 不同（search_path 不同，或备库未跟上）/ the standby's schema differs from --db's (another search_path, or the standby is not keeping up)")
		}
	}
}

// ReplicaLag reports an error when the standby does not answer or has replayed less than
// MaxReplicaLag short of the primary's WAL: the store then reads the primary.
func ReplicaLag(primary, replica *sql.DB) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		var replayed sql.NullString
		if err := replica.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn()::text`).Scan(&replayed); err != nil {
			return err
		}
		if !replayed.Valid {
			return errors.New("the standby has replayed nothing yet")
		}
		var behind int64
		if err := primary.QueryRowContext(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint`, replayed.String).Scan(&behind); err != nil {
			return err
		}
		if behind > MaxReplicaLag {
			return fmt.Errorf("the standby is %d MB behind", behind>>20)
		}
		return nil
	}
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
		wait, cancel := context.WithTimeout(ctx, listenQuiet)
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
			heard(n.Payload)
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case !pgconn.Timeout(err):
			return err
		}
		// Nothing heard for a while: a connection whose other end is gone would stay silent
		// forever, so it must still answer.
		ping, cancel := context.WithTimeout(ctx, listenPing)
		err = conn.Ping(ping)
		cancel()
		if err != nil {
			return err
		}
	}
}

// listenQuiet is how long the listening connection may hear nothing before it is pinged, and
// listenPing how long the ping may take before the connection is given up and made again.
const (
	listenQuiet = 30 * time.Second
	listenPing  = 5 * time.Second
)

func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}
