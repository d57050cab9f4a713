package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// OperationalFigures are the whole installation's counts an operator watches (§13's metrics):
// the estate, the live leases, the open work and the notification outbox.
type OperationalFigures struct {
	Parks, Units, ActiveContracts, OpenRequests int64
	// OutboxDue waits to be sent; OutboxGivenUp failed every attempt.
	OutboxDue, OutboxGivenUp int64
}

// OperationalFigures counts across every park: the administrator's (and the metrics
// endpoint's, which reads as the system) figures only.
func (s *Store) OperationalFigures(ctx context.Context, sc identity.Scope) (OperationalFigures, error) {
	var f OperationalFigures
	if sc.Role != identity.Admin {
		return f, apperr.ErrForbidden()
	}
	today := s.clock.Today()
	err := s.read(ctx).queryRow(ctx, `SELECT
		(SELECT count(*) FROM parks),
		(SELECT count(*) FROM units),
		(SELECT count(*) FROM contracts WHERE status = 'active' AND start_on <= ? AND end_on >= ?),
		(SELECT count(*) FROM service_requests WHERE status IN ('open', 'assigned', 'in_progress')),
		(SELECT count(*) FROM outbox WHERE sent_at IS NULL AND NOT given_up),
		(SELECT count(*) FROM outbox WHERE given_up)`, today, today).
		Scan(&f.Parks, &f.Units, &f.ActiveContracts, &f.OpenRequests, &f.OutboxDue, &f.OutboxGivenUp)
	return f, err
}

// Pools are the database handles, by role ("reader", "writer", "replica"), for their connection figures.
func (s *Store) Pools() map[string]*sql.DB {
	pools := map[string]*sql.DB{"reader": s.eng.Reader, "writer": s.eng.Writer}
	if s.replica != nil {
		pools["replica"] = s.replica
	}
	return pools
}

// TxOutcome is how a write transaction ended.
type TxOutcome string

const (
	TxCommitted  TxOutcome = "commit"
	TxRolledBack TxOutcome = "rollback"
	TxFailed     TxOutcome = "commit_failed"
)

// ObserveTransactions calls fn with the outcome and duration of every write transaction from
// now on (nil stops).
func (s *Store) ObserveTransactions(fn func(TxOutcome, time.Duration)) {
	if fn == nil {
		s.txObserve.Store(nil)
		return
	}
	s.txObserve.Store(&fn)
}

func (s *Store) observeTx(outcome TxOutcome, began time.Time) {
	if fn := s.txObserve.Load(); fn != nil {
		(*fn)(outcome, time.Since(began))
	}
}
