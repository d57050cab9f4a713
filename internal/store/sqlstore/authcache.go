package sqlstore

import (
	"sync"
	"time"

	"github.com/parkos/parkos/internal/identity"
)

// authTTL is how long a resolved token is trusted without asking the database again. Every
// change made through this process (sign-out, password, role, disabling, deletion, token
// revocation) evicts at once; another process sharing a PostgreSQL database sees such a change
// within authTTL.
const authTTL = 5 * time.Second

// authCache saves the three queries that resolve a bearer token on every request.
type authCache struct {
	mu      sync.Mutex
	entries map[string]authEntry // token hash → user
}

type authEntry struct {
	user     identity.User
	until    time.Time
	lastSeen time.Time // of the session; zero for API tokens
}

const maxAuthEntries = 100_000

func (a *authCache) get(hash string, now time.Time, idle time.Duration) (identity.User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.entries[hash]
	if !ok || now.After(e.until) || (idle > 0 && !e.lastSeen.IsZero() && now.Sub(e.lastSeen) > idle) {
		return identity.User{}, false
	}
	u := e.user
	u.ParkIDs = append([]string{}, e.user.ParkIDs...) // [] in answers, never null
	return u, true
}

func (a *authCache) put(hash string, u identity.User, now, lastSeen time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.entries == nil || len(a.entries) >= maxAuthEntries {
		a.entries = map[string]authEntry{}
	}
	a.entries[hash] = authEntry{user: u, until: now.Add(authTTL), lastSeen: lastSeen}
}

func (a *authCache) forgetToken(hash string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.entries, hash)
}

func (a *authCache) forgetUser(userID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for h, e := range a.entries {
		if e.user.ID == userID {
			delete(a.entries, h)
		}
	}
}
