package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
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
