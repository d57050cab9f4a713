package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
)

// SQLite folds its write-ahead log back into the database file (a checkpoint) inside the commit
// that takes the log past 1,000 pages. After a transaction that changed 100,000 rows that is
// 2 s of the import's time spent copying pages nobody waits for. So a transaction that changed
// many rows commits with the automatic checkpoint switched off, and the checkpoint runs just
// after, while the caller already has its answer.
//
// The deferred checkpoint runs on the transaction's own connection, held from its BEGIN until
// the checkpoint is done, so no other writer begins in between: a checkpoint run beside a
// writer that begins again at once never lets the log start over from its beginning
// (back-to-back writes grew it to 316 MB), and one that waited its turn in the pool let the
// writes before it grow the log.

// bigTransaction is how many rows a transaction must change for its checkpoint to wait.
const bigTransaction = 1000

// autoCheckpointPages is SQLite's default automatic checkpoint, restored after a deferred one.
const autoCheckpointPages = 1000

// skipCheckpoint switches the automatic checkpoint off for the commit of the transaction
// behind t when it changed many rows, and reports whether it tried: the driver can report a
// cancelled context for a PRAGMA that ran, and the setting must then be put back all the same.
func (s *Store) skipCheckpoint(ctx context.Context, t *txCache) (bool, error) {
	if !s.eng.DeferCheckpoints || t.changed.Load() < bigTransaction {
		return false, nil
	}
	_, err := t.tx.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
	return true, err
}

// checkpointLater switches the automatic checkpoint back on and folds the log on held, the
// connection of the transaction that skipped it, then lets the connection go and prepares the
// transaction's new statements on the writer pool.
func (s *Store) checkpointLater(held *sql.Conn) {
	run := func() {
		ctx := context.Background()
		defer s.prepareNoted(ctx)
		defer held.Close()
		// Back on first: should the checkpoint itself fail (a reader in the way), the next
		// commit past the threshold does it.
		if _, err := held.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(autoCheckpointPages)); err != nil {
			// The connection cannot be trusted to checkpoint again: drop it, and the pool
			// opens a new one with the default.
			_ = held.Raw(func(any) error { return driver.ErrBadConn })
			return
		}
		_, _ = held.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	}
	s.closeMu.Lock()
	closing := s.closing
	if !closing {
		s.checkpoints.Add(1)
	}
	s.closeMu.Unlock()
	if closing {
		run()
		return
	}
	s.launchCheckpoint(func() {
		defer s.checkpoints.Done()
		run()
	})
}
