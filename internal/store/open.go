// Package store chooses the storage engine from a --db / PARKOS_DB address.
package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store/postgres"
	"github.com/parkos/parkos/internal/store/sqlite"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// DefaultDB is where ParkOS keeps its data unless told otherwise.
const DefaultDB = "sqlite:./data/parkos.db"

// Open opens, with the clock its rules use, "sqlite:PATH" or a "postgres://…" / "postgresql://…" URL.
func Open(addr string, clock civil.Clock) (*sqlstore.Store, error) {
	switch {
	case strings.HasPrefix(addr, "sqlite:"):
		path := strings.TrimPrefix(addr, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("--db sqlite: needs a file path, e.g. sqlite:./data/parkos.db")
		}
		return sqlite.Open(path, clock)
	case strings.HasPrefix(addr, "postgres://"), strings.HasPrefix(addr, "postgresql://"):
		return postgres.Open(addr, clock)
	}
	return nil, fmt.Errorf("--db %q: expected sqlite:PATH or postgres://…", addr)
}

// AttachReplica sends st's lag-tolerant reads to the streaming standby at url (--db-replica),
// while it answers and keeps up.
func AttachReplica(ctx context.Context, st *sqlstore.Store, url string) error {
	if st.Engine() != "postgres" {
		return fmt.Errorf("--db-replica needs a PostgreSQL --db")
	}
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		return fmt.Errorf("--db-replica %q: expected postgres://…", url)
	}
	primary := st.Pools()["reader"]
	db, err := postgres.OpenReplica(ctx, url, primary)
	if err != nil {
		return err
	}
	st.SetReplica(db, postgres.ReplicaLag(primary, db))
	return nil
}
