package sqlstore

import (
	"context"
	"time"
)

// checkpointIdle is how often the checkpointer looks at the log without being woken: writes
// made outside write transactions (a session's last use, ANALYZE) wake nobody.
const checkpointIdle = 10 * time.Second

// checkpointSoon wakes the checkpointer, if the engine has one; a wake-up already pending
// covers this one too.
func (s *Store) checkpointSoon() {
	if s.checkpointDue == nil {
		return
	}
	select {
	case s.checkpointDue <- struct{}{}:
	default:
	}
}

// checkpoints folds SQLite's write-ahead log back into the database after commits, on a
// connection of its own, until ctx ends. The writer's own automatic checkpoint copied the log
// inside the commit that crossed 1,000 pages, so that one request waited for it: 1.7 s at the
// end of a 100,000-row report import. A passive checkpoint never waits for readers or the
// writer; frames a reader still needs are copied on a later pass.
func (s *Store) checkpoints(ctx context.Context) {
	idle := time.NewTicker(checkpointIdle)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.checkpointDue:
		case <-idle.C:
		}
		var busy, frames, copied int
		// An error (the disk full, the database closing) leaves the log as it is: it is read
		// correctly however long it grows, and the next pass tries again.
		_ = s.eng.Checkpointer.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	}
}
