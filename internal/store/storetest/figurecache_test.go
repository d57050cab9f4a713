package storetest

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestCachedFiguresFollowEveryWrite: a store keeps a park's stack plan and occupancy rows
// until the park's next write. Here a second store, as a second server process would, reads
// the figures (so its cache holds them) after every kind of write the first store makes, and
// must answer exactly what a store opened afresh answers: nothing it cached may outlive a
// write it did not make itself.
func TestCachedFiguresFollowEveryWrite(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			writer, open := Twin(t, eng)
			w := NewWorld(t, writer)
			reader := open()
			sys, park, today := identity.System(), w.Parks[0].ID, civil.SystemClock{}.Today()
			figures := func(st *sqlstore.Store) string {
				t.Helper()
				plan, err := st.StackPlan(ctx, sys, park, today, leasing.StackFilter{})
				if err != nil {
					t.Fatal(err)
				}
				units, leases, err := st.OccupancyRows(ctx, sys, leasing.OccupancyFilter{ParkID: park})
				if err != nil {
					t.Fatal(err)
				}
				// The rows come in the order of the engine's plan, which PostgreSQL may change once a
				// prepared statement has run a few times; what they say must not change.
				b, _ := json.Marshal([]any{plan, sortedJSON(units), sortedJSON(leases)})
				return string(b)
			}
			spaces, ks, ents := SpaceOf(writer), ContractsOf(writer), EnterpriseOf(writer)
			var contract leasing.Contract
			var lead leasing.Lead
			var fresh space.Unit
			steps := []struct {
				name  string
				write func() error
			}{
				{"a new unit", func() error {
					var err error
					fresh, err = spaces.CreateUnit(ctx, sys, spaceUnit(w, "A-9-901"))
					return err
				}},
				{"a unit made unleasable", func() error {
					u := w.Units[0][0]
					u.Leasable = false
					_, err := spaces.UpdateUnit(ctx, sys, u)
					return err
				}},
				{"a signed lease", func() error {
					k := lease(w, "HT-CACHE", w.Units[0][1].ID, today.AddDays(-30).String(), today.AddDays(300).String())
					k.Status = leasing.Active
					var err error
					contract, err = ks.Create(ctx, sys, k)
					return err
				}},
				{"the tenant renamed", func() error {
					e, err := ents.GetEnterprise(ctx, sys, contract.EnterpriseID)
					if err != nil {
						return err
					}
					e.Name = "改名后的租户"
					_, err = ents.UpdateEnterprise(ctx, sys, e)
					return err
				}},
				{"a hold", func() error {
					var err error
					if lead, err = ks.CreateLead(ctx, sys, leasing.Lead{ParkID: park, Company: "意向客户"}); err != nil {
						return err
					}
					_, err = ks.CreateHold(ctx, sys, leasing.Hold{LeadID: lead.ID, UnitID: w.Units[0][2].ID, Until: today.AddDays(20)})
					return err
				}},
				{"the holding lead renamed", func() error {
					lead.Company = "意向客户（改名）"
					_, err := ks.UpdateLead(ctx, sys, lead)
					return err
				}},
				{"the lease terminated", func() error {
					_, err := ks.TerminateContract(ctx, sys, contract.ID, leasing.Termination{TerminatedOn: today.AddDays(-1)})
					return err
				}},
				{"a building renamed", func() error {
					b := w.Buildings[0]
					b.Name = "新楼名"
					_, err := spaces.UpdateBuilding(ctx, sys, b)
					return err
				}},
				{"a unit split", func() error {
					_, err := spaces.SplitUnit(ctx, sys, fresh.ID, spaceSplit(today))
					return err
				}},
			}
			for _, step := range steps {
				before := figures(reader)
				if err := step.write(); err != nil {
					e, _ := apperr.As(err)
					t.Fatalf("%s: %v %+v", step.name, err, e)
				}
				got, want := figures(reader), figures(open())
				if got != want {
					at := 0
					for at < min(len(got), len(want)) && got[at] == want[at] {
						at++
					}
					t.Errorf("after %s the second store still answers its cached figures: from byte %d it has\n%.300s\nwhere a fresh store has\n%.300s",
						step.name, at, got[at:], want[at:])
				}
				if got == before {
					t.Errorf("%s changed no figure: the step tests nothing", step.name)
				}
			}
		})
	}
}

func spaceUnit(w *World, code string) space.Unit {
	return space.Unit{FloorID: w.Floors[0].ID, Code: code, Kind: space.KindOffice, GrossArea: measure.AreaM2(120), Leasable: true,
		ValidFrom: civil.Of(2020, 1, 1)}
}

func spaceSplit(today civil.Date) space.SplitRequest {
	return space.SplitRequest{EffectiveOn: today, Parts: []space.UnitPart{{Code: "S-1", GrossArea: measure.AreaM2(60)},
		{Code: "S-2", GrossArea: measure.AreaM2(60)}}}
}

// sortedJSON is each row's JSON, in order.
func sortedJSON[T any](rows []T) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		b, _ := json.Marshal(r)
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}
