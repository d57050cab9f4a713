package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/loginguard"
)

// ReserveSignIn counts a sign-in attempt against every key unless one is at its limit
// (loginguard.Ledger); when refused, wait is how long until every key takes one again. The
// attempt is dated by the database's clock unless at is given, so instances whose clocks
// differ still share one window. On PostgreSQL an advisory lock per key, taken in key order,
// makes concurrent reservations of one key, from any process, take turns; SQLite's one writer
// does the same by itself.
func (s *Store) ReserveSignIn(ctx context.Context, id string, keys []loginguard.Limit, at time.Time, window time.Duration) (time.Duration, bool, error) {
	var retryAt time.Time
	ok := false
	err := s.write(ctx, func(c conn) error {
		if at.IsZero() {
			var err error
			if at, err = s.databaseNow(ctx, c); err != nil {
				return err
			}
		}
		since := at.Add(-window)
		// Attempts that left the window count for nothing; dropping them keeps the table small.
		// Rows another transaction holds are left for the next sweep, so sweeps never wait.
		expired := `SELECT key, attempt_id FROM sign_in_attempts WHERE at <= ? LIMIT 500`
		if s.eng.RowLocks {
			expired += ` FOR UPDATE SKIP LOCKED`
		}
		if _, err := c.exec(ctx, `DELETE FROM sign_in_attempts WHERE (key, attempt_id) IN (`+expired+`)`, since); err != nil {
			return err
		}
		sorted := slices.Clone(keys)
		slices.SortFunc(sorted, func(a, b loginguard.Limit) int { return cmp.Compare(a.Key, b.Key) })
		for _, k := range sorted {
			if s.eng.RowLocks {
				if _, err := c.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(?))`, "sign-in "+k.Key); err != nil {
					return err
				}
			}
			var oldest time.Time
			err := c.queryRow(ctx, `SELECT at FROM sign_in_attempts WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?`,
				k.Key, since, k.Limit-1).Scan(&oldest)
			switch {
			case err == nil:
				retryAt = later(retryAt, oldest.Add(window))
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		if !retryAt.IsZero() {
			return nil
		}
		for _, k := range keys {
			if _, err := c.exec(ctx, `INSERT INTO sign_in_attempts (key, attempt_id, at) VALUES (?, ?, ?)`, k.Key, id, at); err != nil {
				return err
			}
		}
		ok = true
		return nil
	})
	if ok || err != nil {
		return 0, ok, err
	}
	return retryAt.Sub(at), false, nil
}

// databaseNow is the database server's clock (PostgreSQL), shared by every instance; SQLite's
// database is on this machine, whose clock is its own.
func (s *Store) databaseNow(ctx context.Context, c conn) (time.Time, error) {
	if !s.eng.RowLocks {
		return s.now(), nil
	}
	var now time.Time
	err := c.queryRow(ctx, `SELECT now()`).Scan(&now)
	return now.UTC(), err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// ForgetSignIn takes back one attempt from the keys named.
func (s *Store) ForgetSignIn(ctx context.Context, id string, keys ...string) error {
	return s.write(ctx, func(c conn) error {
		for _, k := range keys {
			if _, err := c.exec(ctx, `DELETE FROM sign_in_attempts WHERE key = ? AND attempt_id = ?`, k, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearSignIns forgets every attempt counted against key.
func (s *Store) ClearSignIns(ctx context.Context, key string) error {
	return s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `DELETE FROM sign_in_attempts WHERE key = ?`, key)
		return err
	})
}
