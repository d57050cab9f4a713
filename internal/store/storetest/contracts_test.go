package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

func lease(w *World, number, unitID, from, to string) leasing.Contract {
	f, _ := civil.Parse(from)
	t, _ := civil.Parse(to)
	return leasing.Contract{Number: number, EnterpriseID: w.Enterprises[0].ID, StartOn: f, EndOn: t, Price: 50000,
		PaymentCycle: 3, Units: []leasing.ContractUnit{{UnitID: unitID}}}
}

func TestContractRulesAndLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		unit := w.Units[0][1].ID

		bad := lease(w, "HT-BAD", unit, "2025-06-01", "2025-01-01")
		bad.Price = -1
		bad.RentFree = []leasing.Period{{From: civil.Of(2026, 1, 1), To: civil.Of(2026, 2, 1)}}
		_, err := ks.Create(ctx, op, bad)
		wantField(t, err, "end_on")
		wantField(t, err, "price")
		wantField(t, err, "rent_free[0]")
		all, _ := s.ListContracts(ctx, op, leasing.Filter{}, page.Request{})
		if len(all.Items) != 0 {
			t.Fatal("a refused contract was written")
		}

		first := lease(w, "HT-001", unit, "2025-01-01", "2026-12-31")
		first.Status = leasing.Active
		k1, err := ks.Create(ctx, op, first)
		if err != nil {
			t.Fatal(err)
		}
		if k1.ParkID != w.Parks[0].ID || k1.Units[0].Area != w.Units[0][1].GrossArea || k1.Units[0].To != civil.Of(2026, 12, 31) {
			t.Fatalf("created: %+v", k1)
		}
		// Overlapping lease: 409 naming the unit and the conflicting contract; nothing written.
		overlap := lease(w, "HT-002", unit, "2026-06-01", "2027-05-31")
		overlap.Status = leasing.Active
		_, err = ks.Create(ctx, op, overlap)
		e := wantCode(t, err, apperr.Conflict)
		if len(e.Fields) != 1 || e.Fields[0].Field != "units[0].unit_id" || !strings.Contains(e.Fields[0].MessageEn, "HT-001") ||
			!strings.Contains(e.Fields[0].MessageEn, w.Units[0][1].Code) {
			t.Fatalf("conflict: %+v", e)
		}
		// As a draft it may be written, but not signed.
		draft, err := ks.Create(ctx, op, lease(w, "HT-002", unit, "2026-06-01", "2027-05-31"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ks.ActivateContract(ctx, op, draft.ID)
		wantCode(t, err, apperr.Conflict)

		// Terminated early, the unit is free from the day after.
		_, err = ks.TerminateContract(ctx, op, k1.ID, leasing.Termination{TerminatedOn: civil.Of(2027, 1, 1)})
		wantField(t, err, "terminated_on")
		k1, err = ks.TerminateContract(ctx, op, k1.ID, leasing.Termination{TerminatedOn: civil.Of(2026, 5, 31), Penalty: 1_000_000})
		if err != nil || k1.Status != leasing.Terminated {
			t.Fatalf("terminate: %+v %v", k1, err)
		}
		if _, err := ks.ActivateContract(ctx, op, draft.ID); err != nil {
			t.Fatalf("unit not free after termination: %v", err)
		}

		// Renewal: a draft successor from the day after; signing it marks the predecessor renewed.
		k2, _ := s.GetContract(ctx, op, draft.ID)
		next, err := ks.RenewContract(ctx, op, k2.ID, leasing.Renewal{Number: "HT-002-R", EndOn: civil.Of(2028, 5, 31), Price: new(measure.Price(55000))})
		if err != nil || next.StartOn != civil.Of(2027, 6, 1) || next.Price != 55000 || next.RenewalOf != k2.ID {
			t.Fatalf("renewal: %+v %v", next, err)
		}
		if _, err := ks.ActivateContract(ctx, op, next.ID); err != nil {
			t.Fatal(err)
		}
		k2, _ = s.GetContract(ctx, op, k2.ID)
		if k2.Status != leasing.Renewed || k2.RenewedBy != next.ID {
			t.Fatalf("predecessor after renewal: %s %s", k2.Status, k2.RenewedBy)
		}
		sched, err := s.ContractSchedule(ctx, op, next.ID)
		if err != nil || sched.Lines[0].Amount <= 0 || sched.DayCount != leasing.DayCount365 {
			t.Fatalf("schedule: %+v %v", sched, err)
		}

		// Amendment: a unit already in the contract, or let under another, is refused; a free one
		// is added from the effective day.
		_, err = ks.AmendContract(ctx, op, next.ID, leasing.Amendment{EffectiveOn: civil.Of(2027, 9, 10), Add: []string{unit}})
		wantField(t, err, "add[0]")
		other := lease(w, "HT-OTHER", w.Units[0][2].ID, "2027-01-01", "2027-12-31")
		other.Status = leasing.Active
		if _, err := ks.Create(ctx, op, other); err != nil {
			t.Fatal(err)
		}
		_, err = ks.AmendContract(ctx, op, next.ID, leasing.Amendment{EffectiveOn: civil.Of(2027, 9, 10), Add: []string{w.Units[0][2].ID}})
		if e := wantCode(t, err, apperr.Conflict); len(e.Fields) == 0 || e.Fields[0].Field != "add[0]" {
			t.Fatalf("amend conflict fields: %+v", e.Fields)
		}
		amended, err := ks.AmendContract(ctx, op, next.ID, leasing.Amendment{EffectiveOn: civil.Of(2027, 9, 10), Add: []string{w.Units[0][0].ID}})
		if err != nil || len(amended.Units) != 2 || amended.Units[1].From != civil.Of(2027, 9, 10) {
			t.Fatalf("amend: %+v %v", amended.Units, err)
		}

		// A let unit cannot be split from a day its lease still covers.
		_, err = SpaceOf(s).SplitUnit(ctx, w.Scope(identity.ParkManager), w.Units[0][2].ID, space.SplitRequest{EffectiveOn: civil.Of(2027, 6, 1),
			Parts: []space.UnitPart{{Code: "S1", GrossArea: 100}, {Code: "S2", GrossArea: 100}}})
		wantCode(t, err, apperr.Conflict)

		// Scope: another park's staff and another enterprise see nothing.
		_, err = s.GetContract(ctx, w.Scope(identity.Authority), next.ID)
		if err != nil {
			t.Fatalf("authority reads contracts: %v", err)
		}
		own, _ := s.ListContracts(ctx, w.Scope(identity.EntMember), leasing.Filter{}, page.Request{})
		if len(own.Items) != 4 {
			t.Fatalf("tenant sees %d of its contracts", len(own.Items))
		}
		_, err = ks.TerminateContract(ctx, w.Scope(identity.EntAdmin), next.ID, leasing.Termination{TerminatedOn: civil.Of(2027, 12, 31)})
		wantCode(t, err, apperr.Forbidden)
		_, err = ks.Create(ctx, op, lease(w, "HT-X", w.Units[1][0].ID, "2025-01-01", "2025-12-31"))
		wantField(t, err, "units[0].unit_id")
	})
}

// 50 requests to let the same unit over the same days at the same moment: exactly one wins.
func TestConcurrentLettingOfOneUnit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		unit := w.Units[0][0].ID
		wins, conflicts, other := race(50, func(i int) error {
			k := lease(w, fmt.Sprintf("HT-RACE-%02d", i), unit, "2025-03-01", "2026-02-28")
			k.Status = leasing.Active
			_, err := ks.Create(ctx, op, k)
			return err
		})
		if wins != 1 || conflicts != 49 || len(other) > 0 {
			t.Fatalf("wins %d, conflicts %d, other errors %v", wins, conflicts, other)
		}
		let, _ := s.ListContracts(ctx, op, leasing.Filter{UnitID: unit}, page.Request{})
		if len(let.Items) != 1 {
			t.Fatalf("%d contracts on the unit", len(let.Items))
		}
	})
}
