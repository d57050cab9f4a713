// Package loginguard limits password guessing: after too many failed sign-ins for one account or
// from one address within a window, further attempts are refused before the password is
// checked. Both the web form and POST /api/v1/session go through the same guard.
package loginguard

import (
	"strings"
	"sync"
	"time"
)

// Defaults: 10 failures per account and 30 per address per minute. The address limit is
// higher because offices share one address behind NAT.
const (
	DefaultPerAccount = 10
	DefaultPerAddress = 30
	DefaultWindow     = time.Minute
)

// Guard counts recent failures in memory. A restart forgets them, which costs an attacker
// nothing they could not get by waiting a minute.
type Guard struct {
	mu         sync.Mutex
	perAccount int
	perAddress int
	window     time.Duration
	failures   map[string][]time.Time
	now        func() time.Time
}

// New makes a guard with the default limits.
func New() *Guard {
	return &Guard{perAccount: DefaultPerAccount, perAddress: DefaultPerAddress, window: DefaultWindow,
		failures: map[string][]time.Time{}, now: time.Now}
}

func accountKey(username string) string { return "u:" + strings.ToLower(strings.TrimSpace(username)) }
func addressKey(addr string) string     { return "a:" + addr }

// recent drops failures older than the window and returns those left. Caller holds mu.
func (g *Guard) recent(key string, now time.Time) []time.Time {
	times := g.failures[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= g.window {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(g.failures, key)
	} else {
		g.failures[key] = times
	}
	return times
}

// Allow reports whether a sign-in attempt may be checked at all, and if not, how long to wait.
func (g *Guard) Allow(username, addr string) (bool, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey(username), g.perAccount}, {addressKey(addr), g.perAddress}} {
		if times := g.recent(k.key, now); len(times) >= k.limit {
			return false, g.window - now.Sub(times[len(times)-k.limit])
		}
	}
	return true, 0
}

// Fail records a failed attempt against the account and the address.
func (g *Guard) Fail(username, addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if len(g.failures) > 100_000 { // bound memory under a spray of random names
		for k := range g.failures {
			g.recent(k, now)
		}
	}
	for _, k := range []string{accountKey(username), addressKey(addr)} {
		g.failures[k] = append(g.recent(k, now), now)
	}
}

// Succeed clears the account's failures after a correct password.
func (g *Guard) Succeed(username string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.failures, accountKey(username))
}
