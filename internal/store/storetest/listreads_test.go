package storetest

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestParkEnterprisesFollowEveryWrite: a park's enterprise list (read from the park_enterprises
// table the database keeps) is, after every kind of write, exactly the enterprises kept by the
// park or ever resident in it, in name order, under their current names.
func TestParkEnterprisesFollowEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		sys, svc := identity.System(), EnterpriseOf(s)
		p0, p1 := w.Parks[0].ID, w.Parks[1].ID
		names := func(park string) []string {
			t.Helper()
			var out []string
			req := page.Request{Limit: 2}
			for {
				pg, err := s.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: park}, req)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range pg.Items {
					out = append(out, e.Name)
				}
				if pg.NextCursor == "" {
					return out
				}
				req.Cursor = pg.NextCursor
			}
		}
		want := func(step string, park string, expected ...string) {
			t.Helper()
			if got := names(park); !slices.Equal(got, expected) {
				t.Fatalf("%s: park %s lists %q, want %q", step, park, got, expected)
			}
		}
		e0, e1 := w.Enterprises[0].Name, w.Enterprises[1].Name
		want("fixture", p0, e0)
		want("fixture", p1, e1)

		a, err := svc.CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: p0, Name: "Alpha Co", CreditCode: CreditCode(61)})
		if err != nil {
			t.Fatal(err)
		}
		want("created in park 0", p0, "Alpha Co", e0)
		nomad, err := svc.CreateEnterprise(ctx, sys, enterprise.Enterprise{Name: "Beta Co", CreditCode: CreditCode(62)})
		if err != nil {
			t.Fatal(err)
		}
		want("created without a park", p0, "Alpha Co", e0)

		a.ParkID = p1
		if a, err = svc.UpdateEnterprise(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		want("moved to park 1, never resident in park 0", p0, e0)
		want("moved to park 1", p1, "Alpha Co", e1)

		r, err := svc.CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: nomad.ID, ParkID: p0, MoveIn: civil.Of(2025, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		want("resident in park 0", p0, "Beta Co", e0)
		r.ParkID = p1
		if r, err = svc.UpdateResidency(ctx, sys, r); err != nil {
			t.Fatal(err)
		}
		want("residency moved to park 1", p0, e0)
		want("residency moved to park 1", p1, "Alpha Co", "Beta Co", e1)

		nomad.Name = "Gamma Co"
		if _, err = svc.UpdateEnterprise(ctx, sys, nomad); err != nil {
			t.Fatal(err)
		}
		want("renamed", p1, "Alpha Co", "Gamma Co", e1)
		if err := svc.DeleteResidency(ctx, sys, r.ID); err != nil {
			t.Fatal(err)
		}
		want("residency deleted", p1, "Alpha Co", e1)

		// Kept by park 1 and resident there: moving it away keeps it in park 1's list.
		if _, err = svc.CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: a.ID, ParkID: p1, MoveIn: civil.Of(2025, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		a.ParkID = p0
		if _, err = svc.UpdateEnterprise(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		want("moved back, resident in park 1", p1, "Alpha Co", e1)
		want("moved back", p0, "Alpha Co", e0)

		if err := svc.DeleteEnterprise(ctx, sys, nomad.ID); err != nil {
			t.Fatal(err)
		}
		// An operator of park 0 without a park filter walks the same list.
		pg, err := s.ListEnterprises(ctx, w.Scope(identity.ParkManager), enterprise.Filter{}, page.Request{})
		if err != nil || len(pg.Items) != 2 || pg.Items[0].Name != "Alpha Co" {
			t.Fatalf("park manager's list: %+v %v", pg.Items, err)
		}
	})
}

// TestAttachedListsFollowEveryWrite: the lists kept on their rows (neighbours, tags, chain
// nodes, a park's leading nodes) read back as written, in order, after each change.
func TestAttachedListsFollowEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		sys := identity.System()
		u0, u1, u2 := w.Units[0][0], w.Units[0][1], w.Units[0][2]
		neighbours := func(id string) []string {
			t.Helper()
			u, err := s.GetUnit(ctx, sys, id)
			if err != nil {
				t.Fatal(err)
			}
			return u.NeighbourIDs
		}
		u0.NeighbourIDs = []string{u2.ID, u1.ID}
		u0, err := SpaceOf(s).UpdateUnit(ctx, sys, u0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := neighbours(u0.ID), slices.Sorted(slices.Values([]string{u1.ID, u2.ID})); !slices.Equal(got, want) {
			t.Fatalf("neighbours of u0: %v, want %v", got, want)
		}
		if got := neighbours(u1.ID); !slices.Contains(got, u0.ID) || !slices.IsSorted(got) {
			t.Fatalf("neighbours of u1 (the other side): %v", got)
		}
		u0.NeighbourIDs = []string{u2.ID}
		if _, err := SpaceOf(s).UpdateUnit(ctx, sys, u0); err != nil {
			t.Fatal(err)
		}
		if got := neighbours(u1.ID); slices.Contains(got, u0.ID) {
			t.Fatalf("u1 still lists u0: %v", got)
		}
		units, err := s.ListUnits(ctx, sys, space.UnitFilter{FloorID: u0.FloorID}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units.Items {
			if u.ID == u2.ID && !slices.Contains(u.NeighbourIDs, u0.ID) {
				t.Fatalf("listed u2's neighbours: %v", u.NeighbourIDs)
			}
		}

		e := w.Enterprises[0]
		e.Tags, e.ChainNodeIDs = []string{"疫苗", "AI", "CGT"}, []string{"cgt.mid.aav"}
		e, err = EnterpriseOf(s).UpdateEnterprise(ctx, sys, e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetEnterprise(ctx, sys, e.ID)
		if err != nil || !slices.Equal(got.Tags, []string{"AI", "CGT", "疫苗"}) || !slices.Equal(got.ChainNodeIDs, []string{"cgt.mid.aav"}) {
			t.Fatalf("enterprise lists: %v %v %v", got.Tags, got.ChainNodeIDs, err)
		}
		e.Tags, e.ChainNodeIDs = nil, nil
		if _, err = EnterpriseOf(s).UpdateEnterprise(ctx, sys, e); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetEnterprise(ctx, sys, e.ID)
		if got.Tags == nil || len(got.Tags) != 0 || len(got.ChainNodeIDs) != 0 {
			t.Fatalf("cleared lists: %#v %#v", got.Tags, got.ChainNodeIDs)
		}

		p := w.Parks[1]
		p.LeadingNodeIDs = []string{"cgt.mid.aav"}
		if _, err := SpaceOf(s).UpdatePark(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		parks, err := s.ListParks(ctx, sys, space.ParkFilter{Code: p.Code}, page.Request{})
		if err != nil || len(parks.Items) != 1 || !slices.Equal(parks.Items[0].LeadingNodeIDs, []string{"cgt.mid.aav"}) {
			t.Fatalf("park's leading nodes: %+v %v", parks.Items, err)
		}
	})
}

// TestEnterpriseSearch: a whole credit code (in any case, with spaces around) finds its one
// enterprise; anything else searches the names.
func TestEnterpriseSearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		sys := identity.System()
		search := func(q string) []string {
			t.Helper()
			pg, err := s.ListEnterprises(ctx, sys, enterprise.Filter{Q: q}, page.Request{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range pg.Items {
				names = append(names, e.Name)
			}
			return names
		}
		e1 := w.Enterprises[1]
		if got := search(" " + strings.ToLower(e1.CreditCode) + " "); !slices.Equal(got, []string{e1.Name}) {
			t.Fatalf("by credit code %s: %q", e1.CreditCode, got)
		}
		if got := search("企业1"); !slices.Equal(got, []string{e1.Name}) {
			t.Fatalf("by a name fragment: %q", got)
		}
		if got := search(e1.CreditCode[:10]); len(got) != 0 {
			t.Fatalf("part of a credit code is not a name: %q", got)
		}
	})
}

// TestRaceParkEnterprisesUnderConcurrentResidencies: residencies of one enterprise in one park
// created four at a time all succeed, and two deleted at once take the enterprise off the park's
// list (on PostgreSQL each refresh of the pair once undid the other's).
func TestRaceParkEnterprisesUnderConcurrentResidencies(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		sys, svc := identity.System(), EnterpriseOf(s)
		e, p1 := w.Enterprises[0], w.Parks[1].ID // kept by park 0
		listedInPark1 := func() bool {
			t.Helper()
			pg, err := s.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: p1}, page.Request{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(pg.Items, func(x enterprise.Enterprise) bool { return x.ID == e.ID })
		}
		for round := range 10 {
			ids := make([]string, 4)
			errs := make([]error, 4)
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					var r enterprise.Residency
					r, errs[i] = svc.CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: e.ID, ParkID: p1, MoveIn: civil.Of(2024, 1, 1+i)})
					ids[i] = r.ID
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("round %d: concurrent residency: %v", round, err)
				}
			}
			if !listedInPark1() {
				t.Fatalf("round %d: resident in park 1 but not listed there", round)
			}
			for i := range ids {
				wg.Go(func() { errs[i] = svc.DeleteResidency(ctx, sys, ids[i]) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("round %d: concurrent delete: %v", round, err)
				}
			}
			if listedInPark1() {
				t.Fatalf("round %d: no residency left in park 1, yet still listed there", round)
			}
		}
	})
}

// Saving a unit replaces its neighbour links, found from either end: the statement must not
// read the whole table of links (it did, for the links naming the unit as a neighbour).
func TestNeighbourLinksAreFoundFromEitherEnd(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			plan, err := s.Explain(ctx, `DELETE FROM unit_neighbours WHERE unit_id = ? OR neighbour_id = ?`, "a", "b")
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range plan {
				if strings.Contains(step, "SCAN unit_neighbours") || strings.Contains(step, "Seq Scan on unit_neighbours") {
					t.Errorf("the links are read whole: %q", plan)
				}
			}
		})
	}
}
