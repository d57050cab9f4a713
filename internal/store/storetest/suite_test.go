package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

var ctx = context.Background()

// forEachEngine runs test on a fresh database of every engine.
func forEachEngine(t *testing.T, test func(t *testing.T, s *sqlstore.Store)) {
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { test(t, e.Open(t)) })
	}
}

// engineSQL writes a query's ? marks the way the store's engine takes them, for tests that
// write to the database directly.
func engineSQL(st *sqlstore.Store, q string) string {
	for i := 1; st.Engine() == "postgres" && strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
	}
	return q
}

func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got error %v, want code %s", err, code)
	}
	e, _ := apperr.As(err)
	return e
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %s (fields %+v)", err, field, e.Fields)
}

func TestEnginesHaveTheSameTablesAndColumns(t *testing.T) {
	engines := Engines(t)
	if len(engines) < 2 {
		t.Skip("PostgreSQL tests skipped: PARKOS_TEST_PG is not set")
	}
	lite, err := engines[0].Open(t).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := engines[1].Open(t).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) < 20 {
		t.Fatalf("only %d tables in SQLite", len(lite))
	}
	for table, cols := range lite {
		if !slices.Equal(cols, pg[table]) {
			t.Errorf("table %s: sqlite %v, postgres %v", table, cols, pg[table])
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s only in postgres", table)
		}
	}
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		classes, err := s.IndustryClasses(ctx, identity.System(), "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(classes) < 100 {
			t.Fatalf("%d industry classes after a second migrate", len(classes))
		}
	})
}

func TestReferenceData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		got, err := s.IndustryClasses(ctx, identity.System(), "276", "")
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, c := range got {
			codes = append(codes, c.Code)
		}
		if !slices.Equal(codes, []string{"276", "2761", "2762"}) {
			t.Fatalf("classes under 276: %v", codes)
		}
		found, err := s.IndustryClasses(ctx, identity.System(), "", "医疗")
		if err != nil || len(found) == 0 {
			t.Fatalf("search 医疗: %v %v", found, err)
		}
		chains, err := s.Chains(ctx, identity.System())
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		for _, c := range chains {
			names[c.NameZh] = len(c.Segments)
		}
		for _, want := range []string{"生物医药", "医疗器械", "细胞与基因治疗"} {
			if names[want] != 3 {
				t.Errorf("chain %s: %d segments, want 3", want, names[want])
			}
		}
	})
}

func TestParkCRUDAndDeleteRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		sys := identity.System()
		_, err := SpaceOf(s).CreatePark(ctx, sys, space.Park{Code: "P0", NameZh: "重复"})
		wantCode(t, err, apperr.Conflict)
		_, err = SpaceOf(s).CreatePark(ctx, sys, space.Park{Code: "bad code!", NameZh: ""})
		wantField(t, err, "code")
		wantField(t, err, "name_zh")

		p := w.Parks[1]
		p.NameEn, p.LeadingNodeIDs = "Test Park 1", []string{"meddev.mid.ivd", "biomed.mid.biologics"}
		got, err := SpaceOf(s).UpdatePark(ctx, sys, p)
		if err != nil {
			t.Fatal(err)
		}
		if got.NameEn != "Test Park 1" || !slices.Equal(got.LeadingNodeIDs, []string{"biomed.mid.biologics", "meddev.mid.ivd"}) {
			t.Fatalf("updated park: %+v", got)
		}
		p = got
		p.LeadingNodeIDs = []string{"no.such.node"}
		_, err = SpaceOf(s).UpdatePark(ctx, sys, p)
		wantField(t, err, "leading_node_ids[0]")
		again, _ := s.GetPark(ctx, sys, p.ID)
		if len(again.LeadingNodeIDs) != 2 {
			t.Fatalf("a refused update changed the park: %+v", again.LeadingNodeIDs)
		}

		err = SpaceOf(s).DeletePark(ctx, sys, w.Parks[0].ID)
		e := wantCode(t, err, apperr.Conflict)
		if e.MessageEn == "" || e.MessageZh == "" {
			t.Fatalf("conflict without a reason: %+v", e)
		}
		if _, err := s.GetPark(ctx, sys, w.Parks[0].ID); err != nil {
			t.Fatalf("park gone after a refused delete: %v", err)
		}
		empty, err := SpaceOf(s).CreatePark(ctx, sys, space.Park{Code: "EMPTY", NameZh: "空园区"})
		if err != nil {
			t.Fatal(err)
		}
		if err := SpaceOf(s).DeletePark(ctx, sys, empty.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.GetPark(ctx, sys, empty.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestScopes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		op, tenant, auth := w.Scope(identity.ParkManager), w.Scope(identity.EntAdmin), w.Scope(identity.Authority)

		parks, err := s.ListParks(ctx, op, space.ParkFilter{}, page.Request{})
		if err != nil || len(parks.Items) != 1 || parks.Items[0].ID != w.Parks[0].ID {
			t.Fatalf("operator parks: %+v %v", parks.Items, err)
		}
		_, err = s.GetPark(ctx, op, w.Parks[1].ID)
		wantCode(t, err, apperr.NotFound)
		units, err := s.ListUnits(ctx, op, space.UnitFilter{}, page.Request{})
		if err != nil || len(units.Items) != 3 {
			t.Fatalf("operator units: %d %v", len(units.Items), err)
		}
		for _, u := range units.Items {
			if u.ParkID != w.Parks[0].ID {
				t.Fatalf("operator sees unit of another park: %+v", u)
			}
		}
		_, err = s.GetUnit(ctx, op, w.Units[1][0].ID)
		wantCode(t, err, apperr.NotFound)
		other := w.Units[1][0]
		other.Note = "hijack"
		_, err = SpaceOf(s).UpdateUnit(ctx, op, other)
		wantCode(t, err, apperr.NotFound)
		_, err = SpaceOf(s).CreateBuilding(ctx, op, space.Building{ParkID: w.Parks[1].ID, Code: "X", Name: "X"})
		wantField(t, err, "park_id")

		_, err = s.GetEnterprise(ctx, tenant, w.Enterprises[1].ID)
		wantCode(t, err, apperr.NotFound)
		ents, err := s.ListEnterprises(ctx, tenant, enterprise.Filter{}, page.Request{})
		if err != nil || len(ents.Items) != 1 || ents.Items[0].ID != w.Enterprises[0].ID {
			t.Fatalf("tenant enterprises: %+v %v", ents.Items, err)
		}
		tu, err := s.ListUnits(ctx, tenant, space.UnitFilter{}, page.Request{})
		if err != nil || len(tu.Items) != 1 || tu.Items[0].ID != w.Units[0][0].ID {
			t.Fatalf("tenant units: %+v %v", tu.Items, err)
		}
		quals, err := s.ListQualifications(ctx, tenant, enterprise.QualificationFilter{}, page.Request{})
		if err != nil || len(quals.Items) != 1 || quals.Items[0].EnterpriseID != w.Enterprises[0].ID {
			t.Fatalf("tenant qualifications: %+v %v", quals.Items, err)
		}
		// A tenant edits its own profile but cannot create or delete enterprises.
		own := ents.Items[0]
		own.Description = "我们做抗体"
		if _, err := EnterpriseOf(s).UpdateEnterprise(ctx, tenant, own); err != nil {
			t.Fatal(err)
		}
		_, err = EnterpriseOf(s).CreateEnterprise(ctx, tenant, enterprise.Enterprise{Name: "新公司"})
		wantCode(t, err, apperr.Forbidden)
		wantCode(t, EnterpriseOf(s).DeleteEnterprise(ctx, tenant, own.ID), apperr.Forbidden)

		// The authority reads everything and writes no space.
		all, err := s.ListParks(ctx, auth, space.ParkFilter{}, page.Request{})
		if err != nil || len(all.Items) != 2 {
			t.Fatalf("authority parks: %d %v", len(all.Items), err)
		}
		p := w.Parks[0]
		p.Phase = "二期"
		_, err = SpaceOf(s).UpdatePark(ctx, auth, p)
		wantCode(t, err, apperr.Forbidden)

		// Users: tenant admins see their colleagues only; others only themselves.
		users, err := s.ListUsers(ctx, tenant, identity.UserFilter{}, page.Request{})
		if err != nil || len(users.Items) != 2 {
			t.Fatalf("tenant admin sees %d users: %v", len(users.Items), err)
		}
		_, err = s.GetUser(ctx, w.Scope(identity.Leasing), w.Users[identity.Admin].ID)
		wantCode(t, err, apperr.NotFound)
		_, err = AccountsOf(s).CreateUser(ctx, tenant, identity.UserInput{Username: "sneaky", Role: identity.Admin, Password: "longenough"})
		wantCode(t, err, apperr.Forbidden)
		member, err := AccountsOf(s).CreateUser(ctx, tenant, identity.UserInput{Username: "colleague", Role: identity.EntMember, Password: "longenough"})
		if err != nil || member.EnterpriseID != w.Enterprises[0].ID {
			t.Fatalf("tenant admin adds member: %+v %v", member, err)
		}
	})
}

func TestPagination(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		sys := identity.System()
		for i := range 7 {
			if _, err := SpaceOf(s).CreatePark(ctx, sys, space.Park{Code: fmt.Sprintf("Z%02d", i), NameZh: "园区",
				GrossFloorArea: measure.AreaM2(int64(1000 * (i % 3)))}); err != nil {
				t.Fatal(err)
			}
		}
		for _, sort := range []string{"code", "name", "gross_floor_area", "created_at"} {
			for _, desc := range []bool{false, true} {
				var seen []string
				req := page.Request{Sort: sort, Desc: desc, Limit: 3}
				for pages := 0; ; pages++ {
					pg, err := s.ListParks(ctx, sys, space.ParkFilter{}, req)
					if err != nil {
						t.Fatalf("%s desc=%v: %v", sort, desc, err)
					}
					for _, p := range pg.Items {
						seen = append(seen, p.Code)
					}
					if pg.NextCursor == "" {
						break
					}
					if pages > 5 {
						t.Fatal("pagination does not end")
					}
					req.Cursor = pg.NextCursor
				}
				sorted := slices.Clone(seen)
				slices.Sort(sorted)
				if len(seen) != 7 || len(slices.Compact(sorted)) != 7 {
					t.Fatalf("sort %s desc=%v: pages gave %v", sort, desc, seen)
				}
				if sort == "code" && !desc && seen[0] != "Z00" || sort == "code" && desc && seen[0] != "Z06" {
					t.Fatalf("sort %s desc=%v: order %v", sort, desc, seen)
				}
			}
		}
		_, err := s.ListParks(ctx, sys, space.ParkFilter{}, page.Request{Cursor: "garbage!"})
		wantField(t, err, "cursor")
		_, err = s.ListParks(ctx, sys, space.ParkFilter{}, page.Request{Sort: "password"})
		wantField(t, err, "sort")
		_, err = s.ListParks(ctx, sys, space.ParkFilter{}, page.Request{Limit: 10000})
		wantField(t, err, "limit")
		found, err := s.ListParks(ctx, sys, space.ParkFilter{Q: "z03"}, page.Request{})
		if err != nil || len(found.Items) != 1 {
			t.Fatalf("search z03: %+v %v", found.Items, err)
		}
	})
}

func TestSplitAndMergeKeepHistory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		park := w.Parks[0].ID
		before, after := civil.Of(2025, 5, 31), civil.Of(2025, 7, 1)
		areaBefore, _ := s.LeasableArea(ctx, op, park, before)
		if areaBefore != measure.AreaM2(600) {
			t.Fatalf("leasable area %s, want 600", areaBefore)
		}

		big := w.Units[0][2] // 300 m²
		_, err := SpaceOf(s).SplitUnit(ctx, op, big.ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 6, 1), Parts: []space.UnitPart{
			{Code: "A-3-303a", GrossArea: measure.AreaM2(200)}, {Code: "A-3-303b", GrossArea: measure.AreaM2(150)}}})
		wantField(t, err, "parts")
		parts, err := SpaceOf(s).SplitUnit(ctx, op, big.ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 6, 1), Parts: []space.UnitPart{
			{Code: "A-3-303a", GrossArea: measure.AreaM2(180), UsableArea: measure.AreaM2(150)},
			{Code: "A-3-303b", GrossArea: measure.AreaM2(120), Kind: space.KindLab}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 2 || parts[1].Kind != space.KindLab || parts[0].ListRent != big.ListRent {
			t.Fatalf("parts: %+v", parts)
		}
		if !slices.Contains(parts[0].NeighbourIDs, parts[1].ID) || !slices.Contains(parts[0].NeighbourIDs, w.Units[0][1].ID) {
			t.Fatalf("part neighbours: %v", parts[0].NeighbourIDs)
		}
		if a, _ := s.LeasableArea(ctx, op, park, before); a != areaBefore {
			t.Fatalf("split changed a past figure: %s, want %s", a, areaBefore)
		}
		if a, _ := s.LeasableArea(ctx, op, park, after); a != measure.AreaM2(600) {
			t.Fatalf("leasable area after split %s, want 600", a)
		}
		_, err = SpaceOf(s).SplitUnit(ctx, op, big.ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 8, 1), Parts: []space.UnitPart{
			{Code: "x1", GrossArea: 100}, {Code: "x2", GrossArea: 100}}})
		wantField(t, err, "effective_on")

		now, _ := s.ListUnits(ctx, op, space.UnitFilter{On: after}, page.Request{})
		then, _ := s.ListUnits(ctx, op, space.UnitFilter{On: before}, page.Request{})
		if len(now.Items) != 4 || len(then.Items) != 3 {
			t.Fatalf("units on dates: after %d, before %d", len(now.Items), len(then.Items))
		}

		// Units 1 and 3 are not neighbours.
		_, err = SpaceOf(s).MergeUnits(ctx, op, space.MergeRequest{UnitIDs: []string{w.Units[0][0].ID, parts[1].ID},
			EffectiveOn: civil.Of(2025, 9, 1), Code: "M1"})
		wantField(t, err, "unit_ids")
		merged, err := SpaceOf(s).MergeUnits(ctx, op, space.MergeRequest{UnitIDs: []string{w.Units[0][0].ID, w.Units[0][1].ID},
			EffectiveOn: civil.Of(2025, 9, 1), Code: "A-3-301-302"})
		if err != nil {
			t.Fatal(err)
		}
		if merged.GrossArea != measure.AreaM2(300) || !slices.Contains(merged.NeighbourIDs, parts[0].ID) {
			t.Fatalf("merged: %+v", merged)
		}
		if a, _ := s.LeasableArea(ctx, op, park, before); a != areaBefore {
			t.Fatalf("merge changed a past figure: %s", a)
		}
		hist, err := s.UnitHistory(ctx, op, w.Units[0][1].ID)
		if err != nil || len(hist) != 1 || hist[0].Kind != "merge" || hist[0].ToIDs[0] != merged.ID {
			t.Fatalf("history: %+v %v", hist, err)
		}
		wantCode(t, SpaceOf(s).DeleteUnit(ctx, op, w.Units[0][1].ID), apperr.Conflict)
	})
}

func TestFailedWritesChangeNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		_, err := SpaceOf(s).CreateUnit(ctx, op, space.Unit{FloorID: w.Floors[0].ID, Code: "NEW", Kind: space.KindLab,
			GrossArea: measure.AreaM2(50), NeighbourIDs: []string{w.Units[1][0].ID}})
		wantField(t, err, "neighbour_ids[0]")
		units, _ := s.ListUnits(ctx, op, space.UnitFilter{Q: "NEW"}, page.Request{})
		if len(units.Items) != 0 {
			t.Fatal("a refused unit was written")
		}
		_, err = SpaceOf(s).CreateUnit(ctx, op, space.Unit{FloorID: w.Floors[0].ID, Code: "A-3-301", Kind: space.KindLab, GrossArea: 100})
		wantCode(t, err, apperr.Conflict)
		_, err = SpaceOf(s).CreateUnit(ctx, op, space.Unit{FloorID: w.Floors[0].ID, Code: "NEG", Kind: "castle", GrossArea: -5, UsableArea: 10})
		wantField(t, err, "kind")
		wantField(t, err, "gross_area")
		wantField(t, err, "usable_area")
		wantCode(t, SpaceOf(s).DeleteBuilding(ctx, op, w.Buildings[0].ID), apperr.Conflict)
	})
}

func TestEnterprisesResidenciesQualifications(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		_, err := EnterpriseOf(s).CreateEnterprise(ctx, op, enterprise.Enterprise{ParkID: w.Parks[0].ID, Name: "坏代码", CreditCode: "91110108MA00000010"})
		wantField(t, err, "credit_code")
		_, err = EnterpriseOf(s).CreateEnterprise(ctx, op, enterprise.Enterprise{ParkID: w.Parks[0].ID, Name: "重复", CreditCode: CreditCode(1)})
		wantCode(t, err, apperr.Conflict)
		_, err = EnterpriseOf(s).CreateEnterprise(ctx, op, enterprise.Enterprise{ParkID: w.Parks[0].ID, Name: "行业", IndustryCode: "9999"})
		wantField(t, err, "industry_code")
		e, err := EnterpriseOf(s).CreateEnterprise(ctx, op, enterprise.Enterprise{ParkID: w.Parks[0].ID, Name: "新入驻生物",
			CreditCode: CreditCode(77), IndustryCode: "2762", Tags: []string{"CGT", "CGT", "疫苗"}, ChainNodeIDs: []string{"cgt.mid.aav"},
			RegisteredCapital: measure.Yuan(10_000_000)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(e.Tags, []string{"CGT", "疫苗"}) || e.ChainNodeIDs[0] != "cgt.mid.aav" {
			t.Fatalf("enterprise lists: %+v", e)
		}
		byIndustry, _ := s.ListEnterprises(ctx, op, enterprise.Filter{IndustryCode: "276"}, page.Request{})
		if len(byIndustry.Items) != 2 {
			t.Fatalf("enterprises in 276x: %d", len(byIndustry.Items))
		}

		_, err = EnterpriseOf(s).CreateResidency(ctx, op, enterprise.Residency{EnterpriseID: e.ID, ParkID: w.Parks[0].ID,
			UnitIDs: []string{w.Units[1][0].ID}, MoveIn: civil.Of(2025, 1, 1)})
		wantField(t, err, "unit_ids[0]")
		_, err = EnterpriseOf(s).CreateResidency(ctx, op, enterprise.Residency{EnterpriseID: e.ID, ParkID: w.Parks[0].ID,
			MoveIn: civil.Of(2025, 1, 1), MoveOut: civil.Of(2024, 1, 1)})
		wantField(t, err, "move_out")
		r, err := EnterpriseOf(s).CreateResidency(ctx, op, enterprise.Residency{EnterpriseID: e.ID, ParkID: w.Parks[0].ID,
			UnitIDs: []string{w.Units[0][1].ID}, MoveIn: civil.Of(2025, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		r.MoveOut = civil.Of(2025, 12, 31)
		if r, err = EnterpriseOf(s).UpdateResidency(ctx, op, r); err != nil || r.MoveOut != civil.Of(2025, 12, 31) {
			t.Fatalf("move out: %+v %v", r, err)
		}
		current, _ := s.ListResidencies(ctx, op, enterprise.ResidencyFilter{ParkID: w.Parks[0].ID, CurrentOn: civil.Of(2026, 2, 1)}, page.Request{})
		if len(current.Items) != 1 {
			t.Fatalf("current residencies in 2026: %d", len(current.Items))
		}

		_, err = EnterpriseOf(s).CreateQualification(ctx, op, enterprise.Qualification{EnterpriseID: e.ID, Kind: "listed"})
		wantField(t, err, "board")
		_, err = EnterpriseOf(s).CreateQualification(ctx, op, enterprise.Qualification{EnterpriseID: e.ID, Kind: "tech_sme",
			IssuedOn: civil.Of(2025, 3, 1), ExpiresOn: civil.Of(2025, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		expiring, _ := s.ListQualifications(ctx, op, enterprise.QualificationFilter{ExpiringBefore: civil.Of(2026, 1, 31)},
			page.Request{Sort: "expires_on"})
		if len(expiring.Items) != 1 || expiring.Items[0].Kind != "tech_sme" {
			t.Fatalf("expiring: %+v", expiring.Items)
		}
		wantCode(t, EnterpriseOf(s).DeleteEnterprise(ctx, op, e.ID), apperr.Conflict)
	})
}

func TestSessionsAndTokens(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		u, err := s.Authenticate(ctx, "U_PARK_MANAGER", w.Password)
		if err != nil || u.Role != identity.ParkManager || len(u.ParkIDs) != 1 {
			t.Fatalf("authenticate: %+v %v", u, err)
		}
		_, err = s.Authenticate(ctx, "u_park_manager", "wrong")
		wantCode(t, err, apperr.Unauthenticated)
		_, err = s.Authenticate(ctx, "nobody", "wrong")
		wantCode(t, err, apperr.Unauthenticated)

		token, err := AccountsOf(s).CreateSession(ctx, u, "api", 3600e9)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserByToken(ctx, token, 0); err != nil || got.ID != u.ID {
			t.Fatalf("session: %+v %v", got, err)
		}
		api, err := AccountsOf(s).CreateToken(ctx, identity.ScopeOf(u), "ci", civil.SystemClock{}.Today().AddDays(1).Time())
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserByToken(ctx, api.Token, 0); err != nil || got.ID != u.ID {
			t.Fatalf("api token: %+v %v", got, err)
		}
		list, _ := s.ListTokens(ctx, identity.ScopeOf(u))
		if len(list) != 1 || list[0].Token != "" {
			t.Fatalf("token list leaks or misses: %+v", list)
		}
		if err := AccountsOf(s).EndSession(ctx, token, "api"); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserByToken(ctx, token, 0)
		wantCode(t, err, apperr.Unauthenticated)

		in := u.Input()
		in.Disabled = true
		if _, err := AccountsOf(s).UpdateUser(ctx, identity.System(), u.ID, in); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserByToken(ctx, api.Token, 0)
		wantCode(t, err, apperr.Unauthenticated)
		_, err = s.Authenticate(ctx, "u_park_manager", w.Password)
		wantCode(t, err, apperr.Unauthenticated)
		wantCode(t, AccountsOf(s).DeleteToken(ctx, w.Scope(identity.Admin), api.ID), apperr.NotFound)
	})
}

func TestAuditTrail(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { auditTrail(t, eng) })
	}
}

func auditTrail(t *testing.T, eng Engine) {
	s, raw := Raw(t, eng)
	w := NewWorld(t, s)
	op := w.Scope(identity.ParkManager).Via("ui")
	u := w.Units[0][0]
	u.ListRent = 61234
	if _, err := SpaceOf(s).UpdateUnit(ctx, op, u); err != nil {
		t.Fatal(err)
	}
	// A refused write leaves no trace either.
	u.Kind = "castle"
	_, _ = SpaceOf(s).UpdateUnit(ctx, op, u)
	trail, err := s.ListAudit(ctx, op, audit.Filter{Entity: "unit", EntityID: u.ID}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(trail.Items) != 2 || trail.Items[0].Action != "update" || trail.Items[1].Action != "create" {
		t.Fatalf("unit trail: %+v", trail.Items)
	}
	e := trail.Items[0]
	if e.Username != "u_park_manager" || e.Source != "ui" || e.ParkID != w.Parks[0].ID ||
		!strings.Contains(string(e.Before), `"list_rent":"4.5"`) || !strings.Contains(string(e.After), `"list_rent":"6.1234"`) {
		t.Fatalf("entry: %+v before %s after %s", e, e.Before, e.After)
	}
	// Park managers see their parks' trail only; leasing staff none; the authority all.
	other, _ := s.ListAudit(ctx, op, audit.Filter{ParkID: w.Parks[1].ID}, page.Request{})
	if len(other.Items) != 0 {
		t.Fatalf("park manager sees another park's trail: %d", len(other.Items))
	}
	_, err = s.ListAudit(ctx, w.Scope(identity.Leasing), audit.Filter{}, page.Request{})
	wantCode(t, err, apperr.Forbidden)
	all, _ := s.ListAudit(ctx, w.Scope(identity.Authority), audit.Filter{ParkID: w.Parks[1].ID}, page.Request{})
	if len(all.Items) == 0 {
		t.Fatal("authority sees no trail of park 1")
	}
	// The database itself refuses to rewrite history, whoever holds a connection (on SQLite, one
	// with ParkOS's settings: without recursive_triggers, a REPLACE deletes without the delete
	// trigger, as a connection can also switch off foreign keys or drop the triggers).
	if _, err := raw.Exec("UPDATE audit_log SET username = 'nobody'"); err == nil {
		t.Fatal("audit_log accepted an UPDATE")
	}
	if _, err := raw.Exec("DELETE FROM audit_log"); err == nil {
		t.Fatal("audit_log accepted a DELETE")
	}
	// Nor can it be replaced row by row (SQLite's INSERT OR REPLACE fires the delete trigger
	// under recursive_triggers, which every ParkOS connection sets) or emptied at once
	// (PostgreSQL's TRUNCATE fires no row triggers).
	if eng.Name == "sqlite" {
		c, err := raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.ExecContext(ctx, "PRAGMA recursive_triggers = ON"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, `INSERT OR REPLACE INTO audit_log (id, at, action, entity, entity_id) VALUES (?, '2020-01-01', 'x', 'x', 'x')`, e.ID); err == nil {
			t.Fatal("audit_log accepted INSERT OR REPLACE")
		}
	} else if _, err := raw.Exec("TRUNCATE audit_log"); err == nil {
		t.Fatal("audit_log accepted TRUNCATE")
	}
	after, _ := s.ListAudit(ctx, op, audit.Filter{Entity: "unit", EntityID: u.ID}, page.Request{})
	if len(after.Items) != 2 || after.Items[0].Username != "u_park_manager" {
		t.Fatalf("the trail changed: %+v", after.Items)
	}
}
