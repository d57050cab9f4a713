package sqlstore

import (
	"context"
	"database/sql/driver"
	"strconv"
)

// SQLite folds its write-ahead log back into the database file (a checkpoint) inside the commit
// that takes the log past 1,000 pages. After a transaction that changed 100,000 rows that is
// 2 s of the import's time spent copying pages nobody waits for. So a transaction that changed
// many rows commits with the automatic checkpoint switched off, and the checkpoint runs just
// after, while the caller already has its answer.
//
// The deferred checkpoint runs on the writer connection and holds it: a checkpoint run on a
// connection of its own, beside a writer that begins again at once, never lets the log start
// over from its beginning, and back-to-back writes grew it to 316 MB.

// bigTransaction is how many rows a transaction must change for its checkpoint to wait.
const bigTransaction = 1000

// autoCheckpointPages is SQLite's default automatic checkpoint, restored after a deferred one.
const autoCheckpointPages = 1000

// skipCheckpoint switches the automatic checkpoint off for the commit of the transaction
// behind t when it changed many rows, and reports whether it did.
func (s *Store) skipCheckpoint(ctx context.Context, t *txCache) (bool, error) {
	if !s.eng.DeferCheckpoints || t.changed.Load() < bigTransaction {
		return false, nil
	}
	if _, err := t.tx.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		return false, err
	}
	return true, nil
}

// checkpointLater switches the automatic checkpoint back on and folds the log, on the writer
// connection once the committed transaction has let go of it.
func (s *Store) checkpointLater() {
	s.checkpoints.Add(1)
	s.launchCheckpoint(func() {
		defer s.checkpoints.Done()
		ctx := context.Background()
		c, err := s.eng.Writer.Conn(ctx)
		if err != nil {
			return // the store is closing, and closing checkpoints
		}
		defer c.Close()
		// Back on first: should the checkpoint itself fail (a reader in the way), the next
		// commit past the threshold does it.
		if _, err := c.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(autoCheckpointPages)); err != nil {
			// The connection cannot be trusted to checkpoint again: drop it, and the pool
			// opens a new one with the default.
			_ = c.Raw(func(any) error { return driver.ErrBadConn })
			return
		}
		_, _ = c.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	})
}
