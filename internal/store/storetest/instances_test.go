package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/uploadstash"
)

// TestSignInLimitsHoldAcrossInstances: failed sign-ins are counted in the database, so two
// server processes on one database share one limit per account and per address, and 60
// attempts at once spread over both let exactly the limit through to a password check.
func TestSignInLimitsHoldAcrossInstances(t *testing.T) {
	ctx := context.Background()
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			a, open := Twin(t, eng)
			b := open()
			ga, gb := loginguard.New(a), loginguard.New(b)
			for i := range 10 {
				g := ga
				if i%2 == 1 {
					g = gb
				}
				if _, _, ok, err := g.Reserve(ctx, "Operator", "10.0.0.1"); err != nil || !ok {
					t.Fatalf("attempt %d refused: %v", i+1, err)
				}
			}
			_, wait, ok, err := gb.Reserve(ctx, "OPERATOR ", "10.0.0.2")
			if err != nil || ok || wait <= 0 || wait > time.Minute {
				t.Fatalf("11th attempt for the account on the other instance: ok=%v wait=%v err=%v", ok, wait, err)
			}
			if _, _, ok, err := gb.Reserve(ctx, strings.Repeat("长", 4000), "10.0.0.3"); err != nil || !ok {
				t.Fatalf("a 12,000-byte user name: %v %v", ok, err)
			}
			other, _, ok, err := ga.Reserve(ctx, "someone-else", "10.0.0.1")
			if err != nil || !ok {
				t.Fatalf("another account from the same address refused after 10 failures: %v", err)
			}
			if err := other.Succeeded(ctx); err != nil {
				t.Fatal(err)
			}

			var through atomic.Int32
			var wg sync.WaitGroup
			for i := range 60 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					g := ga
					if i%2 == 1 {
						g = gb
					}
					if _, _, ok, err := g.Reserve(ctx, "racer", "10.1.0.1"); err != nil {
						t.Error(err)
					} else if ok {
						through.Add(1)
					}
				}()
			}
			wg.Wait()
			if through.Load() != loginguard.DefaultPerAccount {
				t.Fatalf("%d of 60 racing attempts let through, want %d", through.Load(), loginguard.DefaultPerAccount)
			}

			// The window, by the ledger's own clock: attempts older than it no longer count; a
			// success clears the account and gives the address its attempt back; a refusal says
			// when every key will take an attempt again.
			now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
			at := func(sec int) time.Time { return now.Add(time.Duration(sec) * time.Second) }
			keys := []loginguard.Limit{{Key: loginguard.AccountKey("w"), Limit: 2}, {Key: loginguard.AddressKey("1.1.1.1"), Limit: 3}}
			reserve := func(s interface {
				ReserveSignIn(context.Context, string, []loginguard.Limit, time.Time, time.Duration) (time.Duration, bool, error)
			}, id string, sec int, wantOK bool, wantRetry int) {
				t.Helper()
				wait, ok, err := s.ReserveSignIn(ctx, id, keys, at(sec), time.Minute)
				if err != nil || ok != wantOK || (!ok && wait != at(wantRetry).Sub(at(sec))) {
					t.Fatalf("%s at %d s: ok=%v wait %v (want %v, retry at %d s) err=%v", id, sec, ok, wait, wantOK, wantRetry, err)
				}
			}
			reserve(a, "w1", 0, true, 0)
			reserve(b, "w2", 1, true, 0)
			reserve(b, "w3", 10, false, 60) // the account holds w1 and w2
			if err := b.ClearSignIns(ctx, keys[0].Key); err != nil {
				t.Fatal(err)
			}
			if err := a.ForgetSignIn(ctx, "w2", keys[1].Key); err != nil {
				t.Fatal(err)
			}
			reserve(a, "w5", 20, true, 0)   // account: w5; address: w1, w5
			reserve(b, "w6", 21, true, 0)   // account: w5, w6; address: w1, w5, w6
			reserve(a, "w7", 22, false, 80) // the address frees at 60 s, the account at 80 s
			reserve(b, "w8", 81, true, 0)
		})
	}
}

// TestSignOutAndDisablingReachOtherInstances: a token resolved (and cached) by one server
// process stops working there within a second of its sign-out, its revocation or its user's
// disabling through another. PostgreSQL only: it is the engine many processes share (§10).
func TestSignOutAndDisablingReachOtherInstances(t *testing.T) {
	for _, eng := range Engines(t) {
		if eng.Name != "postgres" {
			continue
		}
		t.Run(eng.Name, func(t *testing.T) {
			a, open := Twin(t, eng)
			b := open()
			w := NewWorld(t, a)
			for deadline := time.Now().Add(5 * time.Second); !b.HearsOtherInstances(); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the second instance never started listening")
				}
			}
			u := w.Users[identity.ParkManager]
			session := func() string {
				token, err := AccountsOf(a).CreateSession(ctx, u, "api", time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				return token
			}
			// refusedWithin resolves token on b (so that b caches it), makes the change on a
			// and waits for b to refuse the token.
			refusedWithin := func(what, token string, change func()) {
				t.Helper()
				if _, err := b.UserByToken(ctx, token, 0); err != nil {
					t.Fatalf("%s: resolving before the change: %v", what, err)
				}
				change()
				began := time.Now()
				for {
					_, err := b.UserByToken(ctx, token, 0)
					if apperr.Is(err, apperr.Unauthenticated) {
						break
					}
					if time.Since(began) > time.Second {
						t.Fatalf("%s: still accepted on the other instance after %v (%v)", what, time.Since(began), err)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			signedOut := session()
			refusedWithin("sign-out", signedOut, func() {
				if err := AccountsOf(a).EndSession(ctx, signedOut, "api"); err != nil {
					t.Fatal(err)
				}
			})
			apiToken, err := AccountsOf(a).CreateToken(ctx, identity.ScopeOf(u), "ci", civil.SystemClock{}.Today().AddDays(1).Time())
			if err != nil {
				t.Fatal(err)
			}
			refusedWithin("token revocation", apiToken.Token, func() {
				if err := AccountsOf(a).DeleteToken(ctx, identity.ScopeOf(u), apiToken.ID); err != nil {
					t.Fatal(err)
				}
			})
			kept := session()
			refusedWithin("disabling", kept, func() {
				in := u.Input()
				in.Disabled = true
				if _, err := AccountsOf(a).UpdateUser(ctx, identity.System(), u.ID, in); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// TestUploadsKeptForAnyInstance: an upload kept through one server process is found through
// another, for its own user and target only, until it expires or is dropped.
func TestUploadsKeptForAnyInstance(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			a, open := Twin(t, eng)
			b := open()
			w := NewWorld(t, a)
			now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			clock := movingClock{now}
			keep, find := uploadstash.NewService(a, &clock), uploadstash.NewService(b, &clock)
			owner, other := w.Scope(identity.ParkManager), w.Scope(identity.Admin)
			data := []byte("PK\x03\x04 not really a workbook \x00\xff")
			token, err := keep.Keep(ctx, owner, uploadstash.Upload{Target: "period-1", Name: "报表.xlsx", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			got, err := find.Get(ctx, owner, token, "period-1")
			if err != nil || got.Name != "报表.xlsx" || string(got.Data) != string(data) {
				t.Fatalf("through the other instance: %+v %v", got, err)
			}
			_, err = find.Get(ctx, other, token, "period-1")
			wantCode(t, err, apperr.NotFound)
			_, err = find.Get(ctx, owner, token, "period-2")
			wantCode(t, err, apperr.NotFound)
			clock.now = now.Add(uploadstash.TTL + time.Second)
			_, err = find.Get(ctx, owner, token, "period-1")
			wantCode(t, err, apperr.NotFound)

			clock.now = now
			kept, err := keep.Keep(ctx, owner, uploadstash.Upload{Target: "onboarding", Name: "units.csv", Entity: "units", Data: []byte("a,b")})
			if err != nil {
				t.Fatal(err)
			}
			if err := find.Drop(ctx, other, kept); err != nil {
				t.Fatal(err)
			}
			if got, err := keep.Get(ctx, owner, kept, "onboarding"); err != nil || got.Entity != "units" {
				t.Fatalf("another user's drop removed it: %+v %v", got, err)
			}
			if err := find.Drop(ctx, owner, kept); err != nil {
				t.Fatal(err)
			}
			_, err = keep.Get(ctx, owner, kept, "onboarding")
			wantCode(t, err, apperr.NotFound)

			// Names that are not text are refused with a field error, on PostgreSQL too.
			for _, bad := range []uploadstash.Upload{{Name: "a\x00b.csv"}, {Name: "\xff\xfe.xlsx"}, {Name: "x.csv", Entity: "units\x00"},
				{Name: strings.Repeat("名", 100)}} {
				_, err := keep.Keep(ctx, owner, uploadstash.Upload{Target: "onboarding", Name: bad.Name, Entity: bad.Entity, Data: data})
				wantCode(t, err, apperr.Invalid)
			}
			// A user keeps at most PerUser uploads waiting: the oldest goes.
			var tokens []string
			for i := range uploadstash.PerUser + 1 {
				clock.now = now.Add(time.Duration(i) * time.Second)
				tok, err := keep.Keep(ctx, owner, uploadstash.Upload{Target: "onboarding", Name: "f.csv", Data: data})
				if err != nil {
					t.Fatal(err)
				}
				tokens = append(tokens, tok)
			}
			_, err = find.Get(ctx, owner, tokens[0], "onboarding")
			wantCode(t, err, apperr.NotFound)
			if _, err := find.Get(ctx, owner, tokens[uploadstash.PerUser], "onboarding"); err != nil {
				t.Fatalf("the newest upload: %v", err)
			}
		})
	}
}

// TestOutboxSharedByWorkers: two server processes' delivery workers drain one outbox at once,
// and every notification is posted exactly once.
func TestOutboxSharedByWorkers(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			a, open := Twin(t, eng)
			b := open()
			var mu sync.Mutex
			posts := map[string]int{}
			robot := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				var body struct {
					Text struct{ Content string } `json:"text"`
				}
				json.NewDecoder(r.Body).Decode(&body)
				mu.Lock()
				posts[body.Text.Content]++
				mu.Unlock()
				io.WriteString(rw, `{"errcode":0}`)
			}))
			defer robot.Close()
			const n = 300
			var ds []notify.Delivery
			for i := range n {
				ds = append(ds, notify.Delivery{ID: a.NewID(), Channel: "wecom", Target: robot.URL, Subject: "s", Body: fmt.Sprintf("message %d", i)})
			}
			if err := a.InTx(ctx, func(ctx context.Context) error { return a.Enqueue(ctx, ds) }); err != nil {
				t.Fatal(err)
			}
			var sent atomic.Int32
			var wg sync.WaitGroup
			for i := range 4 {
				outbox := a
				if i%2 == 1 {
					outbox = b
				}
				d := &notify.Deliverer{Outbox: outbox, HTTP: robot.Client(), Now: time.Now, Log: slog.New(slog.DiscardHandler)}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						s, f, err := d.DeliverDue(ctx)
						if err != nil || f > 0 {
							t.Errorf("worker %d: %d failed, %v", i, f, err)
							return
						}
						if s == 0 {
							return
						}
						sent.Add(int32(s))
					}
				}()
			}
			wg.Wait()
			if sent.Load() != n || len(posts) != n {
				t.Fatalf("%d sent, %d distinct posts; want %d", sent.Load(), len(posts), n)
			}
			for msg, times := range posts {
				if times != 1 {
					t.Errorf("%q posted %d times", msg, times)
				}
			}
		})
	}
}

// TestSignOutIsNotUndoneByARequestInFlight: a request that resolves a token while its sign-out
// is being written (it reads the row as committed so far, and would cache it) does not keep
// the token alive once the sign-out commits, on either engine.
func TestSignOutIsNotUndoneByARequestInFlight(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		token, err := AccountsOf(s).CreateSession(ctx, w.Users[identity.ParkManager], "api", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		err = s.InTx(ctx, func(txCtx context.Context) error {
			if _, _, err := s.DeleteSession(txCtx, token); err != nil {
				return err
			}
			// Another request, outside the transaction, before it commits.
			_, err := s.UserByToken(ctx, token, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UserByToken(ctx, token, 0)
		wantCode(t, err, apperr.Unauthenticated)
	})
}
