// Package loginguard limits password guessing: after too many failed sign-ins for one account or
// from one address within a window, further attempts are refused before the password is
// checked. Both the web form and POST /api/v1/session go through the same guard.
package loginguard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"
)

// Defaults: 10 failures per account and 30 per address per minute. The address limit is
// higher because offices share one address behind NAT.
const (
	DefaultPerAccount = 10
	DefaultPerAddress = 30
	DefaultWindow     = time.Minute
)

// Ledger keeps recent sign-in attempts where every ParkOS process sees them (the database), so
// that the limits hold across instances (§10) and survive a restart.
type Ledger interface {
	// ReserveSignIn counts attempt id at `at` (zero: the ledger's own clock, one for every
	// instance) against every key, unless a key already holds its limit of attempts after
	// at-window: then nothing is counted, and wait is how long until every key takes one again.
	// Reservations of one key never interleave.
	ReserveSignIn(ctx context.Context, id string, keys []Limit, at time.Time, window time.Duration) (wait time.Duration, ok bool, err error)
	// ForgetSignIn takes back attempt id from the keys named.
	ForgetSignIn(ctx context.Context, id string, keys ...string) error
	// ClearSignIns forgets every attempt counted against key.
	ClearSignIns(ctx context.Context, key string) error
}

// Limit is a key attempts are counted against, and how many it may hold in a window.
type Limit struct {
	Key   string
	Limit int
}

// Guard applies the limits through its ledger. It also bounds how many password hashes run at
// once in this process: each argon2id hash takes 19 MiB, so 150 parallel sign-ins would
// otherwise take gigabytes.
type Guard struct {
	ledger     Ledger
	hashing    chan struct{}
	trusted    []netip.Prefix
	perAccount int
	perAddress int
	window     time.Duration
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

// New makes a guard with the default limits, counting attempts in ledger.
func New(ledger Ledger) *Guard {
	return &Guard{ledger: ledger, perAccount: DefaultPerAccount, perAddress: DefaultPerAddress, window: DefaultWindow,
		hashing: make(chan struct{}, 2*runtime.NumCPU())}
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

// AccountKey and AddressKey name what attempts are counted against. The account's name is
// hashed: a name typed at the sign-in form may be of any length.
func AccountKey(username string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(username))))
	return "u:" + hex.EncodeToString(sum[:])
}
func AddressKey(addr string) string { return "a:" + addr }

// Attempt is a sign-in attempt counted before its password is checked, so that many attempts
// at once, on any instance, cannot all slip under the limit while their hashes are computed.
type Attempt struct {
	g                *Guard
	id               string
	account, address string
}

// Reserve counts an attempt against the account and the address, or refuses it with how long
// to wait when either is at its limit. The attempt stays counted as a failure unless Succeeded
// or Abandoned is called.
func (g *Guard) Reserve(ctx context.Context, username, addr string) (*Attempt, time.Duration, bool, error) {
	a := &Attempt{g: g, id: newAttemptID(), account: AccountKey(username), address: AddressKey(addr)}
	wait, ok, err := g.ledger.ReserveSignIn(ctx, a.id, []Limit{{a.account, g.perAccount}, {a.address, g.perAddress}}, time.Time{}, g.window)
	if err != nil || !ok {
		return nil, wait, false, err
	}
	return a, 0, true, nil
}

func newAttemptID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Succeeded clears the account's failures and gives the address its attempt back.
func (a *Attempt) Succeeded(ctx context.Context) error {
	return errors.Join(a.g.ledger.ClearSignIns(ctx, a.account), a.g.ledger.ForgetSignIn(ctx, a.id, a.address))
}

// Abandoned takes back an attempt whose password was never checked (the server was busy).
func (a *Attempt) Abandoned(ctx context.Context) error {
	return a.g.ledger.ForgetSignIn(ctx, a.id, a.account, a.address)
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
