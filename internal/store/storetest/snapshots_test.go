package storetest

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestSnapshotSeriesFollowEveryWrite: the all-parks monthly series is summed from each park's
// kept month-end figures (migration 0027). After each write, a second store (a second server
// process) must answer exactly the series computed from every unit and lease, and a park
// nobody wrote to keeps its snapshot.
func TestSnapshotSeriesFollowEveryWrite(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			writer, open := Twin(t, eng)
			w := NewWorld(t, writer)
			reader := open()
			sys, today := identity.System(), civil.SystemClock{}.Today()
			from := today.AddMonths(-119)
			check := func(step string) {
				t.Helper()
				got, err := ContractsOf(reader).OccupancySeries(ctx, sys, leasing.OccupancyFilter{}, from, today)
				if err != nil {
					t.Fatal(err)
				}
				units, leases, err := reader.OccupancyRows(ctx, sys, leasing.OccupancyFilter{})
				if err != nil {
					t.Fatal(err)
				}
				want := leasing.Series(units, leases, from, today)
				if len(got) != 120 || len(want) != 120 {
					t.Fatalf("%s: %d and %d months, want 120", step, len(got), len(want))
				}
				for i := range want {
					g, _ := json.Marshal(got[i])
					x, _ := json.Marshal(want[i])
					if string(g) != string(x) {
						t.Fatalf("%s: month %s from snapshots\n%s\nfrom every unit\n%s", step, want[i].Month, g, x)
					}
				}
			}
			check("no leases")
			ks := ContractsOf(writer)
			k := lease(w, "HT-SNAP-1", w.Units[0][1].ID, today.AddMonths(-30).String(), today.AddMonths(6).String())
			k.Status = leasing.Active
			if _, err := ks.Create(ctx, sys, k); err != nil {
				t.Fatal(err)
			}
			check("a lease in park 0")
			before := snapshotOf(t, reader, w.Parks[1].ID)
			k = lease(w, "HT-SNAP-2", w.Units[0][2].ID, today.AddMonths(-3).String(), today.AddMonths(30).String())
			k.Status = leasing.Active
			if _, err := ks.Create(ctx, sys, k); err != nil {
				t.Fatal(err)
			}
			u := w.Units[1][0]
			u.Leasable = false
			if _, err := SpaceOf(writer).UpdateUnit(ctx, sys, u); err != nil {
				t.Fatal(err)
			}
			check("a second lease, and a unit of park 1 made unleasable")
			if after := snapshotOf(t, reader, w.Parks[1].ID); after.Version == before.Version {
				t.Error("park 1's snapshot was not computed again after its unit changed")
			}
			monthEnd := civil.Of(today.Year(), today.Month(), 1).AddMonths(1).AddDays(-1)
			occ, err := ContractsOf(reader).Occupancy(ctx, sys, leasing.OccupancyFilter{ParkID: w.Parks[0].ID}, monthEnd)
			if err != nil {
				t.Fatal(err)
			}
			ind := IndicatorsOf(reader)
			vals, err := ind.Values(ctx, sys, today.Year(), indicator.Group{Kind: "all"}, []string{"occupancy_rate"})
			if err != nil {
				t.Fatal(err)
			}
			if got := vals.Values[w.Parks[0].ID]["occupancy_rate"]; !got.Known || math.Abs(got.Value-occ.OccupancyRate*100) > 1e-9 || occ.OccupancyRate == 0 {
				t.Errorf("occupancy indicator of park 0 = %+v, want %.4f %% (this month's end)", got, occ.OccupancyRate*100)
			}
			kept := snapshotOf(t, reader, w.Parks[0].ID)
			check("nothing changed")
			if again := snapshotOf(t, reader, w.Parks[0].ID); again.Version != kept.Version || string(again.Data) != string(kept.Data) {
				t.Error("a read with no write between computed park 0's snapshot again")
			}
		})
	}
}

func snapshotOf(t *testing.T, st *sqlstore.Store, parkID string) leasing.ParkSnapshot {
	t.Helper()
	snaps, err := st.OccupancySnapshots(ctx, identity.System())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.ParkID == parkID {
			return s
		}
	}
	t.Fatalf("no snapshot row for park %s", parkID)
	return leasing.ParkSnapshot{}
}
