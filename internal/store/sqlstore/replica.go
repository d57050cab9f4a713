package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parkos/parkos/internal/freshness"
)

// SetReplica makes db, a streaming standby of the database, answer the reads that tolerate a
// moment's lag (freshness.MayLag: dashboards, lists, exports) while check, run every second,
// finds it answering and keeping up; otherwise they go to the primary. Writes, transactions
// and every other read stay on the primary. Set it before serving; the store closes it.
func (s *Store) SetReplica(db *sql.DB, check func(ctx context.Context) error) {
	s.replica = db
	s.replicaUp.Store(true)
	s.background(func(ctx context.Context) { s.watchReplica(ctx, check) })
}

// replicaCheckEvery is how often the replica's health and lag are checked.
const replicaCheckEvery = time.Second

func (s *Store) watchReplica(ctx context.Context, check func(ctx context.Context) error) {
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		probe, cancel := context.WithTimeout(ctx, replicaCheckEvery)
		err := check(probe)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if up := err == nil; s.replicaUp.Swap(up) != up {
			if h := s.replicaHeard.Load(); h != nil {
				(*h)(up, err)
			}
		}
	}
}

// ObserveReplica calls fn when the replica stops or starts taking reads, with the reason.
func (s *Store) ObserveReplica(fn func(inUse bool, err error)) { s.replicaHeard.Store(&fn) }

// ReplicaInUse reports whether lag-tolerant reads go to a replica now.
func (s *Store) ReplicaInUse() bool { return s.replica != nil && s.replicaUp.Load() }

// onReplica is the pool a plain read on ctx goes to when a replica may answer it, else nil.
func (c conn) onReplica(ctx context.Context) *sql.DB {
	if c.prepare && c.s.ReplicaInUse() && freshness.LagAllowed(ctx) {
		return c.s.replica
	}
	return nil
}
