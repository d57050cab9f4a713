package demo

import (
	"context"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/leasing"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

func all[T any](t *testing.T, list func(page.Request) (page.Page[T], error)) []T {
	t.Helper()
	var out []T
	req := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := list(req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pg.Items...)
		if pg.NextCursor == "" {
			return out
		}
		req.Cursor = pg.NextCursor
	}
}

// The demo matches the seed article on 北京四季青生命科技园 and the logins behave as documented.
func TestDemoDataSet(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { checkDemo(t, eng.Open(t)) })
	}
}

func checkDemo(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	svc := app.New(s, civil.SystemClock{})
	if err := Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	checkAuthority(t, svc)
	sys := identity.System()
	parks := all(t, func(r page.Request) (page.Page[space.Park], error) {
		return s.ListParks(ctx, sys, space.ParkFilter{}, r)
	})
	names := map[string]space.Park{}
	for _, p := range parks {
		names[p.NameZh] = p
	}
	for _, want := range []string{"北京四季青生命科技园", "中关村生命科学园", "国际医药创新公园", "中关村(大兴)细胞基因治疗产业园",
		"京西智谷", "中关村东升科技园", "金隅智造工场", "中关村低空技术产业园", "房山氢能产业园"} {
		if _, ok := names[want]; !ok {
			t.Errorf("demo park %s missing", want)
		}
	}
	zones, _ := s.ListZones(ctx, sys, space.ZoneFilter{ParkID: names["国际医药创新公园"].ID}, page.Request{})
	if len(zones.Items) != 4 {
		t.Errorf("BioPark zones: %d, want 4", len(zones.Items))
	}

	sjq := names["北京四季青生命科技园"]
	buildings := all(t, func(r page.Request) (page.Page[space.Building], error) {
		return s.ListBuildings(ctx, sys, space.BuildingFilter{ParkID: sjq.ID}, r)
	})
	var gross, above measure.Area
	for _, b := range buildings {
		gross += b.GrossArea
		above += b.AboveGroundArea
	}
	if len(buildings) != 6 || gross != measure.AreaM2(136400) || above != measure.AreaM2(73000) {
		t.Fatalf("四季青: %d buildings, %s m² GFA, %s m² above ground", len(buildings), gross, above)
	}
	units := all(t, func(r page.Request) (page.Page[space.Unit], error) {
		return s.ListUnits(ctx, sys, space.UnitFilter{ParkID: sjq.ID}, r)
	})
	has := map[string]bool{}
	for _, u := range units {
		switch {
		case u.Kind == space.KindIncubation && u.GrossArea == measure.AreaM2(80):
			has["80 m² incubation"] = true
		case u.Kind == space.KindFlatFloor && u.GrossArea >= measure.AreaM2(2000):
			has["2,000 m² flat floor"] = true
		case u.Kind == space.KindWholeBuilding && u.GrossArea >= measure.AreaM2(16000):
			has["16,000 m² HQ building"] = true
		case u.Facilities.BiosafetyLevel == "BSL-2":
			has["P2 lab"] = true
		}
		if u.Facilities.AnimalRoom != "" {
			has["animal room"] = true
		}
	}
	for _, want := range []string{"80 m² incubation", "2,000 m² flat floor", "16,000 m² HQ building", "P2 lab", "animal room"} {
		if !has[want] {
			t.Errorf("四季青 lacks a %s", want)
		}
	}

	ents := all(t, func(r page.Request) (page.Page[enterprise.Enterprise], error) {
		return s.ListEnterprises(ctx, sys, enterprise.Filter{}, r)
	})
	for _, e := range ents {
		if enterprise.CreditCodeProblem(e.CreditCode) != "" || !slices.Contains(e.Tags, "演示") {
			t.Fatalf("demo enterprise %s: code %s, tags %v", e.Name, e.CreditCode, e.Tags)
		}
	}

	for _, l := range Logins {
		u, err := s.Authenticate(ctx, l.Username, Password)
		if err != nil || string(u.Role) != l.Role {
			t.Fatalf("demo login %s: %+v %v", l.Username, u, err)
		}
	}
	checkReceivables(t, svc, sjq.ID)
	op, _ := s.Authenticate(ctx, "operator", Password)
	seen, _ := s.ListParks(ctx, identity.ScopeOf(op), space.ParkFilter{}, page.Request{})
	if len(seen.Items) != 1 || seen.Items[0].ID != sjq.ID {
		t.Fatalf("operator sees %d parks", len(seen.Items))
	}
	tenant, _ := s.Authenticate(ctx, "tenant", Password)
	own, _ := s.ListEnterprises(ctx, identity.ScopeOf(tenant), enterprise.Filter{ParkID: sjq.ID}, page.Request{})
	if len(own.Items) != 1 {
		t.Fatalf("tenant sees %d enterprises", len(own.Items))
	}
	mine, _ := s.ListReports(ctx, identity.ScopeOf(tenant), stats.ReportFilter{}, page.Request{Sort: "status"})
	// Q2 2026 and the annual 2021–2025 reports approved, Q3 2026 left to fill in.
	if len(mine.Items) != 7 || mine.Items[5].Status != stats.Approved || mine.Items[6].Status != stats.Draft {
		t.Fatalf("tenant's reports: %+v", mine.Items)
	}
	profile, _ := s.GetEnterprise(ctx, sys, own.Items[0].ID)
	for _, r := range mine.Items[:6] {
		if r.Figures["employees"] != int64(profile.Employees) {
			t.Errorf("a report's headcount %d disagrees with the profile's %d", r.Figures["employees"], profile.Employees)
		}
	}
	periods, _ := s.ListPeriods(ctx, identity.ScopeOf(op), stats.PeriodFilter{Kind: stats.Quarterly}, page.Request{})
	progress, err := s.PeriodProgress(ctx, identity.ScopeOf(op), periods.Items[0].ID, civil.Of(2026, 11, 22))
	if err != nil || len(progress) != 1 {
		t.Fatalf("Q3 progress: %+v %v", progress, err)
	}
	kept, _ := s.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: sjq.ID}, page.Request{Limit: page.MaxLimit})
	if g := progress[0]; g.Total != len(kept.Items) || g.Approved == 0 || g.Submitted == 0 || g.Returned == 0 || g.Draft == 0 {
		t.Fatalf("Q3 2026 should be in progress with every status: %+v", g)
	}
}

// checkAuthority: every demo park and 60 parks off the platform are pooled with an area and
// five years of approved or park-level figures, the featured parks stand out as the seeds
// describe, and 昌平's goals are set.
func checkAuthority(t *testing.T, svc *app.Services) {
	ctx, sys := context.Background(), identity.System()
	pooled, err := svc.Pool.List(ctx, sys, pool.Filter{}, page.Request{Limit: 100})
	if err != nil || len(pooled.Items) != 9+offPlatformParks {
		t.Fatalf("pool: %d entries, %v", len(pooled.Items), err)
	}
	for _, tier := range []pool.Tier{pool.Key, pool.Reserve, pool.Planning} {
		if n, _ := svc.Pool.List(ctx, sys, pool.Filter{Tier: tier}, page.Request{Limit: 100}); len(n.Items) < 15 {
			t.Errorf("%d parks in tier %s, want at least 15", len(n.Items), tier)
		}
	}
	featured, _ := svc.Pool.List(ctx, sys, pool.Filter{FeaturedYear: 2025}, page.Request{Limit: 100})
	if len(featured.Items) != 6+9 {
		t.Errorf("%d featured parks in 2025, want 15 (six on the platform, nine off it)", len(featured.Items))
	}
	land, err := svc.Indicators.Table(ctx, sys, "land_output", 2025, indicator.Group{Kind: "all"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range land.Parks {
		offPlatform := strings.HasPrefix(r.Park.Code, "POOL-")
		if !r.Value.Known || r.Value.Coverage.Covered != r.Value.Coverage.Expected || r.Value.Coverage.ParkLevel != offPlatform {
			t.Errorf("%s: land output %+v", r.Park.Name, r.Value)
		}
	}
	// The seeds: featured parks' growth 4×, 地均产出 6×, R&D intensity 2.4× and patents per
	// 10,000 staff 4× the zone's; the demo comes close (2.45×, 3.99×, 3.87×, 5.75× over the rest).
	for code, least := range map[string]float64{"rd_intensity": 2, "invention_patents_per_10k": 2.5, "revenue_growth": 2.5, "land_output": 2.5} {
		c, err := svc.Indicators.Compare(ctx, sys, code, 2025, indicator.Group{Kind: "featured", Value: "2025"}, indicator.Group{Kind: "rest", Value: "2025"})
		t.Logf("featured over the rest: %s %.2f×", code, c.Multiple.Value)
		if err != nil || !c.Multiple.Known || c.Multiple.Value < least {
			t.Errorf("featured parks' %s is %.2f× the rest's, want at least %.1f× (%v)", code, c.Multiple.Value, least, err)
		}
	}
	gs, _ := svc.Goals.List(ctx, sys)
	if len(gs) != 3 {
		t.Errorf("%d goals, want 昌平's three", len(gs))
	}
}

// checkReceivables: the demo park's finance staff find issued and paid bills, an overdue
// balance, the demo tenant's open bill, and a settled deposit.
func checkReceivables(t *testing.T, svc *app.Services, parkID string) {
	t.Helper()
	ctx := context.Background()
	sys := identity.System()
	for _, st := range []billing.Status{billing.Paid, billing.Issued} {
		if p, err := svc.Billing.Bills(ctx, sys, billing.Filter{ParkID: parkID, Status: st}, page.Request{Limit: 1}); err != nil || len(p.Items) == 0 {
			t.Errorf("no %s bill in the demo park: %v", st, err)
		}
	}
	aging, err := svc.Billing.AgingOn(ctx, sys, billing.AgingQuery{ParkID: parkID})
	if err != nil || aging.Total.Overdue <= 0 || aging.Total.Days60+aging.Total.Days90+aging.Total.Over90 <= 0 {
		t.Errorf("the demo park's aging: %+v %v", aging.Total, err)
	}
	settled := false
	ks, _ := svc.Leasing.ListContracts(ctx, sys, leasing.Filter{ParkID: parkID, Status: leasing.Terminated}, page.Request{Limit: page.MaxLimit})
	for _, k := range ks.Items {
		if d, err := svc.Billing.Deposit(ctx, sys, k.ID); err == nil && d.Settlement != nil {
			settled = true
		}
	}
	if !settled {
		t.Error("no deposit settled in the demo park")
	}
}

// A demo that fails part-way leaves the database as it found it: here the login "admin" is
// taken, so the demo's accounts fail after its parks, tenants and reports were written.
func TestDemoThatFailsLeavesNothing(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			s := eng.Open(t)
			svc := app.New(s, civil.SystemClock{})
			if _, err := svc.Accounts.CreateUserWithHash(ctx, identity.System(), identity.UserInput{Username: "admin", DisplayName: "已有管理员",
				Role: identity.Admin}, "not-a-hash"); err != nil {
				t.Fatal(err)
			}
			if err := Load(ctx, svc); err == nil {
				t.Fatal("the demo loaded over an existing admin login")
			}
			parks, err := s.ListParks(ctx, identity.System(), space.ParkFilter{}, page.Request{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			ents, err := s.ListEnterprises(ctx, identity.System(), enterprise.Filter{}, page.Request{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(parks.Items) > 0 || len(ents.Items) > 0 {
				t.Errorf("a failed demo left %d parks and %d enterprises behind", len(parks.Items), len(ents.Items))
			}
		})
	}
}

// TestPasswordHashHasTodaysParameters: the demo accounts' constant hash is Password's, made with
// the parameters identity.HashPassword writes today.
func TestPasswordHashHasTodaysParameters(t *testing.T) {
	fresh, err := identity.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	params := func(h string) string { return strings.Join(strings.SplitN(h, "$", 5)[:4], "$") }
	if params(passwordHash) != params(fresh) {
		t.Errorf("passwordHash is made with %q, HashPassword writes %q: make it again with HashPassword", params(passwordHash), params(fresh))
	}
	if !identity.CheckPassword(passwordHash, Password) || identity.CheckPassword(passwordHash, Password+"x") {
		t.Error("passwordHash is not the hash of Password")
	}
}
