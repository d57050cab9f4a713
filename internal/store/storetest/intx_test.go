package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

var errUndo = errors.New("undo")

// TestInTxReadsItsOwnWrites: inside InTx a service reads what it has written in that
// transaction (the demo loader writes its whole data set in one), a store method that opens
// its own write joins the transaction instead of waiting for the only SQLite writer, other
// readers see nothing until the commit, and a rollback takes all of it away.
func TestInTxReadsItsOwnWrites(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			w := NewWorld(t, s)
			sys := identity.System()
			var unitID, token string
			err := s.InTx(ctx, func(tx context.Context) error {
				u, err := SpaceOf(s).CreateUnit(tx, sys, spaceUnit(w, "TX-101"))
				if err != nil {
					return err
				}
				unitID = u.ID
				if _, err := s.GetUnit(tx, sys, u.ID); err != nil {
					t.Errorf("inside the transaction its own unit: %v", err)
				}
				_, err = s.GetUnit(ctx, sys, u.ID)
				wantCode(t, err, apperr.NotFound) // another reader, before the commit
				claim, err := s.ClaimIdempotencyKey(tx, "u1", "k1", "POST /x", "h")
				if err != nil || !claim.Mine {
					t.Errorf("a write of its own inside the transaction: %+v, %v", claim, err)
				}
				// A session resolved inside the transaction is not remembered past its rollback.
				token, err = AccountsOf(s).CreateSession(tx, w.Users[identity.ParkManager], "api", time.Hour)
				if err != nil {
					return err
				}
				if _, err := s.UserByToken(tx, token, 0); err != nil {
					t.Errorf("inside the transaction its own session: %v", err)
				}
				return errUndo
			})
			if !errors.Is(err, errUndo) {
				t.Fatalf("InTx: %v", err)
			}
			_, err = s.UserByToken(ctx, token, 0)
			wantCode(t, err, apperr.Unauthenticated)
			_, err = s.GetUnit(ctx, sys, unitID)
			wantCode(t, err, apperr.NotFound)
			if claim, err := s.ClaimIdempotencyKey(ctx, "u1", "k1", "POST /x", "h"); err != nil || !claim.Mine {
				t.Errorf("the rolled-back claim is still there: %+v, %v", claim, err)
			}
		})
	}
}

// TestFiguresReadInATransactionAreNotKept: a stack plan read inside a transaction counts its
// uncommitted lease under a park version a rollback hands out again. Kept, it would be
// served after the next committed write of the park, which raises the version to that number.
func TestFiguresReadInATransactionAreNotKept(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s, open := Twin(t, eng)
			w := NewWorld(t, s)
			sys, park, today := identity.System(), w.Parks[0].ID, civil.SystemClock{}.Today()
			plan := func(ctx context.Context, st interface {
				StackPlan(context.Context, identity.Scope, string, civil.Date, leasing.StackFilter) (leasing.StackPlan, error)
			}) string {
				t.Helper()
				p, err := st.StackPlan(ctx, sys, park, today, leasing.StackFilter{})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(p)
				return string(b)
			}
			ks := ContractsOf(s)
			err := s.InTx(ctx, func(tx context.Context) error {
				if _, err := ks.Create(tx, sys, signedLease(w, "HT-UNDONE", w.Units[0][0].ID, today)); err != nil {
					return err
				}
				plan(tx, s)
				return errUndo
			})
			if !errors.Is(err, errUndo) {
				t.Fatalf("InTx: %v", err)
			}
			if _, err := ks.Create(ctx, sys, signedLease(w, "HT-KEPT", w.Units[0][1].ID, today)); err != nil {
				t.Fatal(err)
			}
			if got, want := plan(ctx, s), plan(ctx, open()); got != want {
				t.Errorf("stack plan after the rollback and a new lease:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func signedLease(w *World, number, unitID string, today civil.Date) leasing.Contract {
	k := lease(w, number, unitID, today.AddDays(-30).String(), today.AddDays(300).String())
	k.Status = leasing.Active
	return k
}

// TestTrailLandsWithItsChanges: a transaction's audit entries wait and are written several to a
// statement, yet land exactly with their changes: those of a savepoint that fails are dropped,
// even after the savepoint filled its list and wrote it; those of one that succeeds stay; none
// of a transaction that rolls back; and the trail read inside a transaction is what is
// committed.
func TestTrailLandsWithItsChanges(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s, raw := Raw(t, eng)
			sys := identity.System()
			record := func(ctx context.Context, id string, n int) {
				t.Helper()
				for i := range n {
					if err := s.Record(ctx, sys, "probe", "probe", fmt.Sprintf("%s-%03d", id, i), nil, map[string]int{"i": i}); err != nil {
						t.Fatal(err)
					}
				}
			}
			nested := func(ctx context.Context, fn func(ctx context.Context) error) {
				t.Helper()
				if err := s.InTx(ctx, fn); err != nil && !errors.Is(err, errUndo) {
					t.Fatal(err)
				}
			}
			err := s.InTx(ctx, func(tx context.Context) error {
				record(tx, "kept", 1)
				nested(tx, func(tx context.Context) error { record(tx, "dropped", 1); return errUndo })
				record(tx, "outer", 450) // more than one statement's worth, waiting
				nested(tx, func(tx context.Context) error { record(tx, "dropped-full", 450); return errUndo })
				nested(tx, func(tx context.Context) error {
					record(tx, "inner", 450)
					nested(tx, func(tx context.Context) error { record(tx, "dropped-deep", 450); return errUndo })
					return nil
				})
				trail, err := s.ListAudit(tx, sys, audit.Filter{Entity: "probe"}, page.Request{})
				if err != nil || len(trail.Items) != 0 {
					t.Errorf("the trail read inside the transaction: %d entries, %v", len(trail.Items), err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.InTx(ctx, func(tx context.Context) error { record(tx, "rolled-back", 450); return errUndo }); !errors.Is(err, errUndo) {
				t.Fatal(err)
			}
			rows, err := raw.QueryContext(ctx, `SELECT entity_id, after_json FROM audit_log WHERE entity = 'probe'`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[string]int{}
			for rows.Next() {
				var id, after string
				if err := rows.Scan(&id, &after); err != nil {
					t.Fatal(err)
				}
				got[id[:len(id)-4]]++ // the write, without its entry's number
				var i int
				if _, err := fmt.Sscanf(id[len(id)-3:], "%d", &i); err != nil {
					t.Fatal(err)
				}
				var v map[string]int
				if err := json.Unmarshal([]byte(after), &v); err != nil || v["i"] != i {
					t.Errorf("%s: after %s (%v)", id, after, err)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if want := map[string]int{"kept": 1, "outer": 450, "inner": 450}; !maps.Equal(got, want) {
				t.Errorf("entries by write: %v, want %v", got, want)
			}
		})
	}
}

// TestTransactionWhoseTrailFailsDoesNotCommit: when writing a transaction's waiting entries
// fails (here at the end of a savepoint that filled its parent's list), the transaction cannot
// commit, even if the caller goes on after the savepoint's error: its changes would otherwise
// land without the entries that were lost.
func TestTransactionWhoseTrailFailsDoesNotCommit(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s, raw := Raw(t, eng)
			reject := []string{`CREATE TRIGGER probe_reject BEFORE INSERT ON audit_log WHEN NEW.entity_id = 'reject'
				BEGIN SELECT RAISE(ABORT, 'probe rejected'); END`}
			if eng.Name == "postgres" {
				reject = []string{`CREATE FUNCTION probe_reject() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN IF NEW.entity_id = 'reject' THEN RAISE EXCEPTION 'probe rejected'; END IF; RETURN NEW; END $$`,
					`CREATE TRIGGER probe_reject BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION probe_reject()`}
			}
			for _, q := range reject {
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			sys := identity.System()
			var nestedErr error
			err := s.InTx(ctx, func(tx context.Context) error {
				for i := range 399 {
					if err := s.Record(tx, sys, "probe", "probe", fmt.Sprintf("outer-%03d", i), nil, nil); err != nil {
						return err
					}
				}
				nestedErr = s.InTx(tx, func(tx context.Context) error { return s.Record(tx, sys, "probe", "probe", "reject", nil, nil) })
				return nil // the caller carries on
			})
			if nestedErr == nil || err == nil {
				t.Fatalf("the savepoint whose trail failed: %v; the transaction: %v", nestedErr, err)
			}
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'probe'`).Scan(&n); err != nil || n != 0 {
				t.Errorf("entries after the failed transaction: %d, %v", n, err)
			}
		})
	}
}
