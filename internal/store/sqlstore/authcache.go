package sqlstore

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/parkos/parkos/internal/identity"
)

// authTTL is how long a resolved token is trusted without asking the database again, as a
// bound: every change to an account or token evicts at once, in this process directly and in
// every other process sharing a PostgreSQL database through a notification on authChannel.
const authTTL = 5 * time.Second

// authChannel is the PostgreSQL notification channel evictions travel on; its payloads are
// "u:<user id>" (every token of the user) or "t:<token hash>" (one token).
const authChannel = "parkos_auth"

// authRetry is how long the watcher waits before listening again after losing its connection;
// the cache is bypassed meanwhile.
const authRetry = time.Second

// authCache saves the three queries that resolve a bearer token on every request.
type authCache struct {
	mu      sync.Mutex
	entries map[string]authEntry // token hash → user
	// gen counts evictions, so that an answer read from the database before an eviction is
	// not put back after it.
	gen uint64
	// bypass: evictions from other processes cannot be heard (PostgreSQL before LISTEN, or
	// after its connection dropped), so nothing is cached.
	bypass bool
}

type authEntry struct {
	user     identity.User
	until    time.Time
	lastSeen time.Time // of the session; zero for API tokens
}

const maxAuthEntries = 100_000

// get answers a cached user, and otherwise the generation a put of a fresh read must match.
func (a *authCache) get(hash string, now time.Time, idle time.Duration) (identity.User, uint64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.entries[hash]
	if !ok || now.After(e.until) || (idle > 0 && !e.lastSeen.IsZero() && now.Sub(e.lastSeen) > idle) {
		return identity.User{}, a.gen, false
	}
	u := e.user
	u.ParkIDs = append([]string{}, e.user.ParkIDs...) // [] in answers, never null
	return u, a.gen, true
}

func (a *authCache) put(hash string, u identity.User, now, lastSeen time.Time, gen uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bypass || gen != a.gen {
		return
	}
	if a.entries == nil || len(a.entries) >= maxAuthEntries {
		a.entries = map[string]authEntry{}
	}
	a.entries[hash] = authEntry{user: u, until: now.Add(authTTL), lastSeen: lastSeen}
}

// evict drops what a payload names.
func (a *authCache) evict(payload string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gen++
	if hash, ok := strings.CutPrefix(payload, "t:"); ok {
		delete(a.entries, hash)
		return
	}
	userID := strings.TrimPrefix(payload, "u:")
	for h, e := range a.entries {
		if e.user.ID == userID {
			delete(a.entries, h)
		}
	}
}

// setBypass turns caching off (and forgets everything) or back on.
func (a *authCache) setBypass(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gen++
	a.bypass = on
	clear(a.entries)
}

// HearsOtherInstances reports whether token answers may be cached: always on an engine one
// process serves, and on PostgreSQL while this process listens for others' evictions.
func (s *Store) HearsOtherInstances() bool {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	return !s.auth.bypass
}

// authChanged evicts what payload names here at once and again when the transaction of c
// commits (a request that read the old row in between must not keep it), and on PostgreSQL
// tells every other process on commit.
func (s *Store) authChanged(ctx context.Context, c conn, payload string) error {
	s.auth.evict(payload)
	if c.tx != nil {
		c.tx.committed = append(c.tx.committed, func() { s.auth.evict(payload) })
	}
	if s.eng.Listen == nil {
		return nil
	}
	_, err := c.exec(ctx, `SELECT pg_notify(?, ?)`, authChannel, payload)
	return err
}

// watchAuth listens for other processes' evictions until ctx ends, caching only while it
// hears them.
func (s *Store) watchAuth(ctx context.Context) {
	for {
		err := s.eng.Listen(ctx, authChannel, func() { s.auth.setBypass(false) }, s.auth.evict)
		s.auth.setBypass(true)
		if ctx.Err() != nil {
			return
		}
		if h := s.lost.Load(); h != nil {
			(*h)(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(authRetry):
		}
	}
}
