// Package loginguard limits password guessing: after too many failed sign-ins for one account or
// from one address within a window, further attempts are refused before the password is
// checked. Both the web form and POST /api/v1/session go through the same guard.
package loginguard

import (
	"fmt"
	"net/http"
	"net/netip"
	"runtime"
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
// nothing they could not get by waiting a minute. It also bounds how many password hashes run
// at once: each argon2id hash takes 19 MiB, so 150 parallel sign-ins would otherwise take
// gigabytes.
type Guard struct {
	hashing    chan struct{}
	trusted    []netip.Prefix
	mu         sync.Mutex
	perAccount int
	perAddress int
	window     time.Duration
	failures   map[string][]time.Time
	now        func() time.Time
	refused    func(reason string)
}

// ObserveRefusals calls fn with the reason of every refused sign-in (bad_credentials,
// rate_limited, busy); set it before serving.
func (g *Guard) ObserveRefusals(fn func(reason string)) { g.refused = fn }

func (g *Guard) refuse(reason string) {
	if g.refused != nil {
		g.refused(reason)
	}
}

// New makes a guard with the default limits.
func New() *Guard {
	return &Guard{perAccount: DefaultPerAccount, perAddress: DefaultPerAddress, window: DefaultWindow,
		failures: map[string][]time.Time{}, now: time.Now, hashing: make(chan struct{}, 2*runtime.NumCPU())}
}

// hashWait is how long a sign-in waits for a hashing slot before it is turned away.
const hashWait = 200 * time.Millisecond

// Hash runs fn (a password check) in one of the few hashing slots, waiting briefly for one;
// when all stay busy it reports false at once and fn is not run, so memory stays flat.
func (g *Guard) Hash(fn func()) bool {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case g.hashing <- struct{}{}:
	case <-t.C:
		return false
	}
	defer func() { <-g.hashing }()
	fn()
	return true
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

// Attempt is a sign-in attempt counted before its password is checked, so that many attempts
// at once cannot all slip under the limit while their hashes are still being computed.
type Attempt struct {
	g        *Guard
	username string
	addr     string
	at       time.Time
}

// Reserve counts an attempt against the account and the address, or refuses it with how long
// to wait when either is at its limit. The attempt stays counted as a failure unless Succeeded
// or Abandoned is called.
func (g *Guard) Reserve(username, addr string) (*Attempt, time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey(username), g.perAccount}, {addressKey(addr), g.perAddress}} {
		if times := g.recent(k.key, now); len(times) >= k.limit {
			return nil, g.window - now.Sub(times[len(times)-k.limit]), false
		}
	}
	if len(g.failures) > 100_000 { // bound memory under a spray of random names
		for k := range g.failures {
			g.recent(k, now)
		}
	}
	for _, k := range []string{accountKey(username), addressKey(addr)} {
		g.failures[k] = append(g.recent(k, now), now)
	}
	return &Attempt{g: g, username: username, addr: addr, at: now}, 0, true
}

// Succeeded clears the account's failures and gives the address its attempt back.
func (a *Attempt) Succeeded() {
	a.g.mu.Lock()
	defer a.g.mu.Unlock()
	delete(a.g.failures, accountKey(a.username))
	a.g.forget(addressKey(a.addr), a.at)
}

// Abandoned takes back an attempt whose password was never checked (the server was busy).
func (a *Attempt) Abandoned() {
	a.g.mu.Lock()
	defer a.g.mu.Unlock()
	a.g.forget(accountKey(a.username), a.at)
	a.g.forget(addressKey(a.addr), a.at)
}

// forget removes one reservation made at t. Caller holds mu.
func (g *Guard) forget(key string, t time.Time) {
	times := g.failures[key]
	for i := len(times) - 1; i >= 0; i-- {
		if times[i].Equal(t) {
			g.failures[key] = append(times[:i:i], times[i+1:]...)
			break
		}
	}
	if len(g.failures[key]) == 0 {
		delete(g.failures, key)
	}
}

// ParseTrustedProxies reads a comma-separated list of addresses or CIDR prefixes
// (--trusted-proxies): the reverse proxies whose X-Forwarded-For is believed.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			a, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", item, err)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", item, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// TrustProxies sets the proxies whose X-Forwarded-For header ClientAddr believes.
func (g *Guard) TrustProxies(p []netip.Prefix) { g.trusted = p }

// FromTrustedProxy reports whether the request's peer is a trusted proxy, whose headers
// (X-Forwarded-For, X-Request-Id) are believed.
func (g *Guard) FromTrustedProxy(r *http.Request) bool {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && g.isTrusted(peer.Addr().Unmap())
}

func (g *Guard) isTrusted(a netip.Addr) bool {
	for _, p := range g.trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// ClientAddr is the address the limits count a request against: the peer, or — when the peer
// is a trusted proxy — the nearest address in X-Forwarded-For that is not itself a trusted
// proxy. Without trusted proxies the header is ignored, since any client can send it.
func (g *Guard) ClientAddr(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !g.isTrusted(addr) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if addr = hop.Unmap(); !g.isTrusted(addr) {
			break
		}
	}
	return addr.String()
}
