package storetest

import (
	"math"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// A split or a merge never rewrites history (SPEC §2): the units it makes carry on their
// predecessors' lettings, so 去化率 and vacancy by duration stay what they were. Before, the
// new units counted as never let and as vacant since the day they were made.
func TestSplitAndMergeKeepLettingHistory(t *testing.T) {
	on := civil.Of(2025, 4, 15)
	for _, change := range []string{"split", "merge"} {
		t.Run(change, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
				ks := ContractsOf(s)
				w := NewWorld(t, s)
				op, sys := w.Scope(identity.ParkManager), identity.System()
				// Units of 100, 200 and 300 m²; the 200 m² one was let for 2024 and has stood empty since.
				k := lease(w, "HT-2024", w.Units[0][1].ID, "2024-01-01", "2024-12-31")
				k.Status = leasing.Active
				if _, err := ks.Create(ctx, sys, k); err != nil {
					t.Fatal(err)
				}
				f := leasing.OccupancyFilter{ParkID: w.Parks[0].ID}
				before, err := ks.Occupancy(ctx, op, f, on)
				if err != nil {
					t.Fatal(err)
				}
				if want := 200.0 / 600; math.Abs(before.AbsorptionRate-want) > 1e-9 || before.Vacant91To180Days != measure.AreaM2(200) {
					t.Fatalf("before the %s: absorption %.4f, vacant 91–180 days %v", change, before.AbsorptionRate, before.Vacant91To180Days)
				}
				switch change {
				case "split":
					_, err = SpaceOf(s).SplitUnit(ctx, op, w.Units[0][1].ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 3, 1),
						Parts: []space.UnitPart{{Code: "A-3-302a", GrossArea: measure.AreaM2(120)}, {Code: "A-3-302b", GrossArea: measure.AreaM2(80)}}})
				case "merge":
					_, err = SpaceOf(s).MergeUnits(ctx, op, space.MergeRequest{UnitIDs: []string{w.Units[0][0].ID, w.Units[0][1].ID},
						EffectiveOn: civil.Of(2025, 3, 1), Code: "A-3-30M"})
				}
				if err != nil {
					t.Fatal(err)
				}
				after, err := ks.Occupancy(ctx, op, f, on)
				if err != nil {
					t.Fatal(err)
				}
				if after.LeasableArea != before.LeasableArea || after.EverLeasedArea != before.EverLeasedArea ||
					after.AbsorptionRate != before.AbsorptionRate {
					t.Errorf("after the %s: leasable %v, ever let %v (%.4f); before %v, %v (%.4f)", change, after.LeasableArea,
						after.EverLeasedArea, after.AbsorptionRate, before.LeasableArea, before.EverLeasedArea, before.AbsorptionRate)
				}
				// The split parts have stood empty since 2025-01-01 like their parent; the merged unit
				// since its let part became empty, the later of its parts' vacancies.
				if after.Vacant91To180Days != before.Vacant91To180Days+map[string]measure.Area{"split": 0, "merge": measure.AreaM2(100)}[change] {
					t.Errorf("after the %s: vacant 91–180 days %v, up to 90 days %v, over 365 days %v", change,
						after.Vacant91To180Days, after.VacantUpTo90Days, after.VacantOver365Days)
				}
				if after.VacantUpTo90Days != 0 {
					t.Errorf("after the %s, %v counted as newly vacant", change, after.VacantUpTo90Days)
				}
			})
		})
	}
}

// Marking a unit not leasable, or changing its area, takes effect on a day and keeps what it
// was before: figures for earlier days do not change (SPEC §2). Before, the change rewrote the
// unit row only, and last year's occupancy moved with it.
func TestUnitChangesTakeEffectOnADay(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op, sys := w.Scope(identity.ParkManager), identity.System()
		today := civil.SystemClock{}.Today()
		last := civil.Of(2025, 6, 1)
		k := lease(w, "HT-2025", w.Units[0][1].ID, "2025-01-01", "2025-12-31")
		k.Status = leasing.Active
		if _, err := ks.Create(ctx, sys, k); err != nil {
			t.Fatal(err)
		}
		f := leasing.OccupancyFilter{ParkID: w.Parks[0].ID}
		before, err := ks.Occupancy(ctx, op, f, last)
		if err != nil {
			t.Fatal(err)
		}
		u := w.Units[0][2] // 300 m²
		u.Leasable, u.EffectiveOn = false, today.AddDays(-1)
		_, err = SpaceOf(s).UpdateUnit(ctx, op, u)
		wantField(t, err, "effective_on")
		u.EffectiveOn = civil.Date{}
		if _, err := SpaceOf(s).UpdateUnit(ctx, op, u); err != nil {
			t.Fatal(err)
		}
		after, err := ks.Occupancy(ctx, op, f, last)
		if err != nil {
			t.Fatal(err)
		}
		if after.LeasableArea != before.LeasableArea || after.OccupancyRate != before.OccupancyRate {
			t.Errorf("last year's occupancy changed: leasable %v → %v, rate %.4f → %.4f", before.LeasableArea, after.LeasableArea,
				before.OccupancyRate, after.OccupancyRate)
		}
		now, err := ks.Occupancy(ctx, op, f, today)
		if err != nil {
			t.Fatal(err)
		}
		if now.LeasableArea != measure.AreaM2(300) {
			t.Errorf("today's leasable area %v, want 300 m² without the unit marked not leasable", now.LeasableArea)
		}
		for day, want := range map[civil.Date]measure.Area{last: measure.AreaM2(600), today: measure.AreaM2(300)} {
			if got, err := s.LeasableArea(ctx, op, w.Parks[0].ID, day); err != nil || got != want {
				t.Errorf("leasable area on %s: %v %v, want %v", day, got, err, want)
			}
		}
		for day, want := range map[civil.Date]string{last: leasing.StatusVacant, today: leasing.StatusNotLeasable} {
			plan, err := ks.StackPlan(ctx, op, w.Parks[0].ID, day, leasing.StackFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range plan.Buildings {
				for _, fl := range b.Floors {
					for _, su := range fl.Units {
						if su.ID == u.ID && su.Status != want {
							t.Errorf("stack plan on %s: the unit is %s, want %s", day, su.Status, want)
						}
					}
				}
			}
		}
		// An area change from next month leaves this month's figures alone.
		v := w.Units[0][0]
		v.GrossArea, v.EffectiveOn = measure.AreaM2(150), today.AddMonths(1)
		if _, err := SpaceOf(s).UpdateUnit(ctx, op, v); err != nil {
			t.Fatal(err)
		}
		for day, want := range map[civil.Date]measure.Area{today: measure.AreaM2(300), today.AddMonths(1): measure.AreaM2(350)} {
			if got, err := s.LeasableArea(ctx, op, w.Parks[0].ID, day); err != nil || got != want {
				t.Errorf("leasable area on %s after the area change: %v %v, want %v", day, got, err, want)
			}
		}
		versions, err := s.UnitVersions(ctx, op, v.ID)
		if err != nil || len(versions) != 2 || versions[1].GrossArea != measure.AreaM2(150) || versions[0].GrossArea != measure.AreaM2(100) {
			t.Errorf("versions: %+v %v", versions, err)
		}
	})
}

// A unit's kind and leasable flag on a day decide the figures by kind and what may be let:
// occupancy by kind follows the version in force, a split part of another kind still carries its
// parent's letting history, a lease cannot run into days the unit is withdrawn, and a draft
// whose unit was split since cannot be signed.
func TestKindsAndLettingFollowTheDay(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op, sys := w.Scope(identity.ParkManager), identity.System()
		today := civil.SystemClock{}.Today()
		occ := func(kind string, on civil.Date) leasing.Figures {
			t.Helper()
			f, err := ks.Occupancy(ctx, op, leasing.OccupancyFilter{ParkID: w.Parks[0].ID, Kind: kind}, on)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		// The 300 m² office becomes a lab next month.
		u := w.Units[0][2]
		u.Kind, u.EffectiveOn = space.KindLab, today.AddMonths(1)
		if _, err := SpaceOf(s).UpdateUnit(ctx, op, u); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			kind string
			on   civil.Date
			want measure.Area
		}{{"office", today, measure.AreaM2(600)}, {"lab", today, 0}, {"office", today.AddMonths(1), measure.AreaM2(300)},
			{"lab", today.AddMonths(1), measure.AreaM2(300)}, {"lab", civil.Of(2025, 6, 1), 0}} {
			if got := occ(c.kind, c.on).LeasableArea; got != c.want {
				t.Errorf("%s on %s: leasable %v, want %v", c.kind, c.on, got, c.want)
			}
		}

		// The 200 m² office, let for 2024, split into an office and a lab part.
		k := lease(w, "HT-2024", w.Units[0][1].ID, "2024-01-01", "2024-12-31")
		k.Status = leasing.Active
		if _, err := ks.Create(ctx, sys, k); err != nil {
			t.Fatal(err)
		}
		if _, err := SpaceOf(s).SplitUnit(ctx, op, w.Units[0][1].ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 3, 1),
			Parts: []space.UnitPart{{Code: "A-3-302a", GrossArea: measure.AreaM2(120), Kind: space.KindLab},
				{Code: "A-3-302b", GrossArea: measure.AreaM2(80)}}}); err != nil {
			t.Fatal(err)
		}
		if got := occ("lab", civil.Of(2025, 4, 15)); got.EverLeasedArea != measure.AreaM2(120) || got.Vacant91To180Days != measure.AreaM2(120) {
			t.Errorf("the lab part inherits nothing: ever let %v, vacant 91–180 days %v", got.EverLeasedArea, got.Vacant91To180Days)
		}

		// The 100 m² unit is withdrawn from next month: a year's lease from today is refused.
		v := w.Units[0][0]
		v.Leasable, v.EffectiveOn = false, today.AddMonths(1)
		if _, err := SpaceOf(s).UpdateUnit(ctx, op, v); err != nil {
			t.Fatal(err)
		}
		from := today.String()
		_, err := ks.Create(ctx, op, lease(w, "HT-OVER", v.ID, from, today.AddMonths(12).String()))
		wantField(t, err, "units[0].unit_id")
		if _, err := ks.Create(ctx, op, lease(w, "HT-SHORT", v.ID, from, today.AddDays(20).String())); err != nil {
			t.Errorf("a lease ending before the withdrawal: %v", err)
		}

		// A draft on the 300 m² unit, which is then split before the draft starts: signing is refused.
		draft, err := ks.Create(ctx, op, lease(w, "HT-LATE", u.ID, today.AddMonths(6).String(), today.AddMonths(18).String()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := SpaceOf(s).SplitUnit(ctx, op, u.ID, space.SplitRequest{EffectiveOn: today.AddMonths(2),
			Parts: []space.UnitPart{{Code: "A-3-303a", GrossArea: measure.AreaM2(150)}, {Code: "A-3-303b", GrossArea: measure.AreaM2(150)}}}); err != nil {
			t.Fatal(err)
		}
		_, err = ks.ActivateContract(ctx, op, draft.ID)
		wantField(t, err, "units[0].unit_id")
	})
}
