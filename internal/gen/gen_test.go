package gen

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/api"
	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

var ctx = context.Background()

// digest summarises a data set: the big park's leasable area, its first units' codes and
// areas, and every enterprise credit code of one park.
func digest(t *testing.T, st *sqlstore.Store) []string {
	sys := identity.System()
	parks, err := st.ListParks(ctx, sys, space.ParkFilter{Code: "G0000"}, page.Request{})
	if err != nil || len(parks.Items) != 1 {
		t.Fatalf("big park: %v", err)
	}
	p := parks.Items[0]
	area, err := st.LeasableArea(ctx, sys, p.ID, civil.Of(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{p.ID, area.String()}
	units, _ := st.ListUnits(ctx, sys, space.UnitFilter{ParkID: p.ID, On: civil.Of(2026, 1, 1)}, page.Request{Limit: 20})
	for _, u := range units.Items {
		out = append(out, u.ID, u.Code, u.GrossArea.String(), string(u.Kind))
	}
	ks, _ := st.ListContracts(ctx, sys, leasing.Filter{ParkID: p.ID}, page.Request{Limit: 20})
	for _, k := range ks.Items {
		out = append(out, k.Number, k.StartOn.String(), k.EndOn.String(), k.Price.String())
	}
	ents, _ := st.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: p.ID}, page.Request{Limit: 20})
	for _, e := range ents.Items {
		out = append(out, e.CreditCode)
	}
	return out
}

func TestSameSeedSameDataOnBothEngines(t *testing.T) {
	var first []string
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st := eng.Open(t)
			stats, err := Run(ctx, st, "demo", Options{Seed: 7, Password: "long-enough-1"})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Parks != 10 || stats.Buildings != 60 || stats.Units != 6000 || stats.Enterprises != 1000 || stats.Contracts < 5000 || stats.Leads != 200 || stats.Holds == 0 || stats.Reports != 1000*40 {
				t.Fatalf("demo scale: %+v", stats)
			}
			if stats.Events != 10*eventsPerPark || stats.Registrations < stats.Events*18 {
				t.Fatalf("events: %d events, %d registrations", stats.Events, stats.Registrations)
			}
			evs, err := st.ListEvents(ctx, identity.System(), event.Filter{To: policyDay.Time()}, page.Request{Limit: 100})
			if err != nil || len(evs.Items) == 0 {
				t.Fatalf("past events: %v", err)
			}
			for _, e := range evs.Items {
				if e.BookingID == "" || e.Registered == 0 || e.CheckedIn == 0 || e.CheckedIn > e.Registered || e.Registered > e.Capacity {
					t.Fatalf("past event without its venue, registrations or check-ins: %+v", e)
				}
			}
			d := digest(t, st)
			if first == nil {
				first = d
			} else if len(d) != len(first) {
				t.Fatalf("engines differ: %d vs %d values", len(d), len(first))
			} else {
				for i := range d {
					if d[i] != first[i] {
						t.Fatalf("engines differ at %d: %s vs %s", i, d[i], first[i])
					}
				}
			}
			for _, e := range d[len(d)-3:] {
				if enterprise.CreditCodeProblem(e) != "" {
					t.Fatalf("generated credit code %s is invalid", e)
				}
			}
			// A generated lease lets its unit: a second lease of it on those days is refused.
			let, err := st.ListContracts(ctx, identity.System(), leasing.Filter{Status: leasing.Active}, page.Request{Limit: 1})
			if err != nil || len(let.Items) == 0 {
				t.Fatalf("no generated lease: %v", err)
			}
			k := let.Items[0]
			_, err = storetest.ContractsOf(st).Create(ctx, identity.System(), leasing.Contract{Number: "OVERLAP", EnterpriseID: k.EnterpriseID,
				Status: leasing.Active, StartOn: k.StartOn, EndOn: k.StartOn.AddMonths(12).AddDays(-1), SignedOn: k.StartOn, Price: 40000,
				Units: []leasing.ContractUnit{{UnitID: k.Units[0].UnitID}}})
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("a second lease of a generated lease's unit: %v", err)
			}
			// The park manager of a generated park sees exactly that park.
			u, err := st.Authenticate(ctx, "pm-G0003", "long-enough-1")
			if err != nil {
				t.Fatal(err)
			}
			ps, _ := st.ListParks(ctx, identity.ScopeOf(u), space.ParkFilter{}, page.Request{})
			if len(ps.Items) != 1 || ps.Items[0].Code != "G0003" {
				t.Fatalf("pm-G0003 sees %+v", ps.Items)
			}
		})
	}
	again := storetest.OpenSQLite(t)
	if _, err := Run(ctx, again, "demo", Options{Seed: 7, Password: "long-enough-1"}); err != nil {
		t.Fatal(err)
	}
	d := digest(t, again)
	for i := range d {
		if d[i] != first[i] {
			t.Fatalf("the same seed gave different data at %d", i)
		}
	}
}

// A run stopped half-way leaves a database that says so (/readyz answers 503), and the next
// run clears the partial set and writes the whole one, on both engines. Before, the next run
// was refused and the database stayed half-written, /readyz 503 for good.
func TestInterruptedRunIsReportedThenResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a whole demo-scale data set twice; runs without -short")
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { interruptedRun(t, eng.Open(t)) })
	}
}

func interruptedRun(t *testing.T, st *sqlstore.Store) {
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err := Run(stop, st, "demo", Options{Seed: 1, Password: "long-enough-1", Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("an interrupted run reported success")
	}
	set, incomplete, err := st.IncompleteGeneratedSet(ctx)
	if err != nil || !incomplete || set.Scale != "demo" {
		t.Fatalf("incomplete set not reported: %+v %v %v", set, incomplete, err)
	}
	srv := httptest.NewServer(api.New(app.New(st, civil.SystemClock{}), slog.New(slog.NewTextHandler(io.Discard, nil)), loginguard.New(st)).Handler())
	defer srv.Close()
	ready := func() int {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Fatalf("/readyz on an incomplete set: %d", got)
	}
	again, err := Run(ctx, st, "demo", Options{Seed: 1, Password: "long-enough-1"})
	if err != nil {
		t.Fatalf("the run after an interrupted one: %v", err)
	}
	fresh, err := Run(ctx, storetest.OpenSQLite(t), "demo", Options{Seed: 1, Password: "long-enough-1"})
	if err != nil || again != fresh {
		t.Fatalf("resumed set %+v differs from a fresh one %+v (%v)", again, fresh, err)
	}
	if got := ready(); got != http.StatusOK {
		t.Fatalf("/readyz after the complete run: %d", got)
	}
	// A finished set is never cleared: a third run is refused.
	if _, err := Run(ctx, st, "demo", Options{Seed: 1, Password: "long-enough-1"}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a run into a finished set: %v", err)
	}
	if _, err := Run(ctx, storetest.OpenSQLite(t), "galaxy", Options{Seed: 1, Password: "x"}); err == nil {
		t.Fatal("unknown scale accepted")
	}
}

// TestGeneratedPool: every generated park is pooled with its decisions, one in ten is key and
// featured, and off-platform parks' own figures stand in for their enterprises'.
func TestGeneratedPool(t *testing.T) {
	st := storetest.OpenSQLite(t)
	if _, err := Run(ctx, st, "demo", Options{Seed: 3, Password: "long-enough-1"}); err != nil {
		t.Fatal(err)
	}
	svc := app.New(st, civil.SystemClock{})
	sys := identity.System()
	pooled, err := svc.Pool.List(ctx, sys, pool.Filter{}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	parks, _ := st.ListParks(ctx, sys, space.ParkFilter{}, page.Request{Limit: page.MaxLimit})
	if len(pooled.Items) != len(parks.Items) || len(pooled.Items) == 0 {
		t.Fatalf("%d pooled of %d parks", len(pooled.Items), len(parks.Items))
	}
	key, err := svc.Pool.Get(ctx, sys, parks.Items[0].ID)
	if err != nil || (key.Tier == "key" && (len(key.History) != 2 || len(key.FeaturedYears) != 2)) {
		t.Errorf("a key park's entry: %+v %v", key, err)
	}
	c, err := svc.Indicators.Compare(ctx, sys, "tech_platforms", 2025, indicator.Group{Kind: "all"}, indicator.Group{Kind: "all"})
	if err != nil || !c.Of.Known || c.Of.Value <= 0 {
		t.Errorf("park attributes: %+v %v", c.Of, err)
	}
}

// The national scale's shape, in small: two years of reports, a quarter of bills, one booking
// and one request per enterprise, and local policies that judge only their parks' enterprises.
func TestNationalShape(t *testing.T) {
	if _, err := Run(ctx, storetest.OpenSQLite(t), "national", Options{Seed: 1, Password: "long-enough-1"}); err == nil || !strings.Contains(err.Error(), "wants PostgreSQL") {
		t.Fatalf("the national scale on SQLite: %v", err)
	}
	shape := Scales["national"]
	shape.Parks, shape.Buildings, shape.Units, shape.Enterprises = 20, 120, 6_000, 2_000
	shape.Policies = PolicyPlan{Count: 40, ParksEach: 5, Applications: 500}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st, db := storetest.Raw(t, eng)
			stats, err := run(ctx, st, shape, Options{Seed: 3, Password: "long-enough-1"})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Parks != 20 || stats.Units != 6_000 || stats.Enterprises != 2_000 || stats.Reports != 2_000*8 ||
				stats.Bookings != 2_000 || stats.Requests != 2_000 || stats.Policies != 40 || stats.Applications == 0 || stats.Applications > 500 {
				t.Fatalf("national shape: %+v", stats)
			}
			for q, want := range map[string]string{
				`SELECT min(year) || '-' || max(year) || ':' || count(*) FROM report_periods`:       "2024-2025:8",
				`SELECT min(billing_from) || ':' || max(billing_from) FROM park_billing_settings`:   "2026-04-01:2026-04-01",
				`SELECT count(*) FROM bills WHERE due_on < '2026-04-01'`:                            "0",
				`SELECT count(DISTINCT scope_kind) || scope_kind FROM policies GROUP BY scope_kind`: "1parks",
				// Every policy covers 5 parks, every park is covered, and no match falls outside.
				`SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM policy_parks GROUP BY policy_id) x`: "5-5",
				`SELECT count(DISTINCT park_id) FROM policy_parks`:                                                  "20",
				`SELECT count(*) FROM policy_matches m JOIN enterprises e ON e.id = m.enterprise_id
					WHERE NOT EXISTS (SELECT 1 FROM policy_parks pp WHERE pp.policy_id = m.policy_id AND pp.park_id = e.park_id)`: "0",
				`SELECT CASE WHEN count(*) > 1000 THEN 'many' ELSE 'few' END FROM policy_matches`: "many",
			} {
				var got string
				if err := db.QueryRowContext(ctx, q).Scan(&got); err != nil || got != want {
					t.Errorf("%s\n= %q (%v), want %q", q, got, err, want)
				}
			}
		})
	}
}
