package storetest

import (
	"fmt"
	"math"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestFigureBlocksFollowEveryWrite: the all-parks figures come from kept blocks (migration 0026).
// After every kind of write that changes what they stand on, a second store (as a second server
// process would) must give every park exactly the values computed from the reports themselves
// (one park's page reads them), and nothing may be recomputed when nothing changed.
func TestFigureBlocksFollowEveryWrite(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			writer, open := Twin(t, eng)
			w := NewWorld(t, writer)
			reader := open()
			sys, year := identity.System(), 2025
			stat := StatsOf(writer)
			codes := []string{}
			for _, ind := range indicator.BuiltIns {
				if ind.GrowthOf == "" {
					codes = append(codes, ind.Code)
				}
			}
			check := func(step string) {
				t.Helper()
				svc := IndicatorsOf(reader)
				vals, err := svc.Values(ctx, sys, year, indicator.Group{Kind: "all"}, codes)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range w.Parks {
					direct, err := svc.ParkFigures(ctx, sys, p.ID, year)
					if err != nil {
						t.Fatal(err)
					}
					for _, fig := range direct.Figures {
						got, ok := vals.Values[p.ID][fig.Indicator.Code]
						if !ok {
							continue
						}
						want := fig.Value
						if got.Known != want.Known || fmt.Sprintf("%.6f", got.Value) != fmt.Sprintf("%.6f", want.Value) || got.Coverage != want.Coverage {
							t.Errorf("%s: park %s %s from blocks = %v %.6f %+v, from reports %v %.6f %+v", step, p.Code, fig.Indicator.Code,
								got.Known, got.Value, got.Coverage, want.Known, want.Value, want.Coverage)
						}
					}
				}
				if n, err := svc.Refresh(ctx, sys); err != nil || n != 0 {
					t.Errorf("%s: a second read recomputed %d park-years (%v)", step, n, err)
				}
			}
			check("no reports")
			annual, err := stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: year, Deadline: civil.Of(year+1, 3, 1)})
			if err != nil {
				t.Fatal(err)
			}
			var rows []stats.ImportRow
			for i, e := range w.Enterprises {
				rows = append(rows, stats.ImportRow{Row: i + 3, CreditCode: e.CreditCode, Submit: true, Figures: stats.Figures{
					"revenue": int64(i+1) * 1_000_000_00, "rd_expense": int64(i+1) * 80_000_00, "tax": 5_000_00,
					"employees": int64(10 * (i + 1)), "rd_staff": 3, "invention_patents_granted": 2, "invention_patents_held": 7}})
			}
			if _, problems, err := stat.ImportReports(ctx, sys, annual.ID, rows, false); err != nil || len(problems) > 0 {
				t.Fatalf("import: %v %+v", err, problems)
			}
			check("reports submitted")
			reports, err := writer.ListReports(ctx, sys, stats.ReportFilter{PeriodID: annual.ID}, page.Request{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := stat.ReviewReport(ctx, sys, reports.Items[0].ID, true, ""); err != nil {
				t.Fatal(err)
			}
			check("one report approved")
			if _, err := stat.ReviewReport(ctx, sys, reports.Items[1].ID, false, "请核对研发费用"); err != nil {
				t.Fatal(err)
			}
			check("one report returned")
			again := rows[0]
			if w.Enterprises[1].ID == reports.Items[1].EnterpriseID {
				again = rows[1]
			}
			again.Figures = stats.Figures{"revenue": 3_000_000_00, "rd_expense": 1, "tax": 1,
				"employees": 40, "rd_staff": 4, "invention_patents_granted": 0, "invention_patents_held": 1}
			if _, problems, err := stat.ImportReports(ctx, sys, annual.ID, []stats.ImportRow{again}, false); err != nil || len(problems) > 0 {
				t.Fatalf("import again: %v %+v", err, problems)
			}
			if n, err := stat.ApproveSubmitted(ctx, sys, annual.ID); err != nil || n != 1 {
				t.Fatalf("bulk approval: %d %v", n, err)
			}
			check("resubmitted and approved in bulk")
			chains, err := writer.Chains(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			node := chains[0].Segments[0].Nodes[0]
			ent, err := EnterpriseOf(writer).GetEnterprise(ctx, sys, w.Enterprises[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			ent.ChainNodeIDs = []string{node.ID}
			if _, err := EnterpriseOf(writer).UpdateEnterprise(ctx, sys, ent); err != nil {
				t.Fatal(err)
			}
			check("an enterprise placed on a chain node")
			park := w.Parks[0]
			park.LeadingNodeIDs = []string{node.ID}
			if _, err := SpaceOf(writer).UpdatePark(ctx, sys, park); err != nil {
				t.Fatal(err)
			}
			check("a park's leading industries now hold that node")
			if _, err := EnterpriseOf(writer).CreateQualification(ctx, sys, enterprise.Qualification{EnterpriseID: w.Enterprises[1].ID,
				Kind: "listed", Board: "star", Ticker: "688001", IssuedOn: civil.Of(2025, 6, 1)}); err != nil {
				t.Fatal(err)
			}
			check("a qualification added")
			svc := IndicatorsOf(reader)
			counts, err := svc.Values(ctx, sys, year, indicator.Group{Kind: "all"}, []string{"listed_enterprises", "high_tech_enterprises"})
			if err != nil {
				t.Fatal(err)
			}
			// Park 1's one enterprise, complete in 2025, is listed since June and high-tech until 2027.
			if l, h := counts.Values[w.Parks[1].ID]["listed_enterprises"], counts.Values[w.Parks[1].ID]["high_tech_enterprises"]; l.Value != 1 || h.Value != 1 {
				t.Errorf("park 1 counts: listed %+v, high-tech %+v; want 1 and 1", l, h)
			}
			ent, err = EnterpriseOf(writer).GetEnterprise(ctx, sys, w.Enterprises[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			ent.ScientistFounded = true
			if _, err := EnterpriseOf(writer).UpdateEnterprise(ctx, sys, ent); err != nil {
				t.Fatal(err)
			}
			check("an enterprise marked scientist-founded")
			if _, err := stat.OpenPeriod(ctx, sys, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Quarterly, Year: year, Seq: 1, Deadline: civil.Of(year, 4, 15)}); err != nil {
				t.Fatal(err)
			}
			check("a quarterly period makes a year incomplete")
		})
	}
}

// TestRaceKeptFiguresUnderWrites: readers that compute and keep blocks and occupancy snapshots
// while reviewers approve reports and a lease is signed, all at once, must neither fail nor
// leave a kept figure that differs from the figure computed afresh from the reports and leases.
func TestRaceKeptFiguresUnderWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		sys, year, today := identity.System(), 2025, civil.SystemClock{}.Today()
		ents := []string{w.Enterprises[0].CreditCode, w.Enterprises[1].CreditCode}
		for i := range 6 {
			e, err := EnterpriseOf(st).CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: w.Parks[i%2].ID,
				Name: fmt.Sprintf("竞争测试企业%d有限公司", i), CreditCode: CreditCode(100 + i), IndustryCode: "2761"})
			if err != nil {
				t.Fatal(err)
			}
			ents = append(ents, e.CreditCode)
		}
		annual, err := StatsOf(st).OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: year, Deadline: civil.Of(year+1, 3, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var rows []stats.ImportRow
		for i, code := range ents {
			rows = append(rows, stats.ImportRow{Row: i + 3, CreditCode: code, Submit: true, Figures: stats.Figures{
				"revenue": int64(i+1) * 10_000_000_00, "rd_expense": int64(i+1) * 700_000_00, "tax": 1, "employees": 20, "rd_staff": 5,
				"invention_patents_granted": 1, "invention_patents_held": 3}})
		}
		if _, problems, err := StatsOf(st).ImportReports(ctx, sys, annual.ID, rows, false); err != nil || len(problems) > 0 {
			t.Fatalf("import: %v %+v", err, problems)
		}
		reports, err := st.ListReports(ctx, sys, stats.ReportFilter{PeriodID: annual.ID}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		ind := IndicatorsOf(st)
		codes := []string{"revenue", "rd_intensity", "occupancy_rate"}
		_, _, other := race(2*len(reports.Items)+1, func(i int) error {
			switch {
			case i == 2*len(reports.Items):
				k := lease(w, "HT-RACE-SNAP", w.Units[0][1].ID, today.AddMonths(-2).String(), today.AddMonths(20).String())
				k.Status = leasing.Active
				_, err := ContractsOf(st).Create(ctx, sys, k)
				return err
			case i%2 == 0:
				_, err := StatsOf(st).ReviewReport(ctx, sys, reports.Items[i/2].ID, true, "")
				return err
			default:
				if _, err := ind.Values(ctx, sys, year, indicator.Group{Kind: "all"}, codes); err != nil {
					return err
				}
				_, err := ContractsOf(st).OccupancySeries(ctx, sys, leasing.OccupancyFilter{}, today.AddMonths(-11), today)
				return err
			}
		})
		if len(other) > 0 {
			t.Fatalf("errors under concurrency: %v", other)
		}
		vals, err := ind.Values(ctx, sys, year, indicator.Group{Kind: "all"}, codes)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range w.Parks {
			direct, err := ind.ParkFigures(ctx, sys, p.ID, year)
			if err != nil {
				t.Fatal(err)
			}
			for _, fig := range direct.Figures {
				if got, ok := vals.Values[p.ID][fig.Indicator.Code]; ok && (got.Known != fig.Value.Known || math.Abs(got.Value-fig.Value.Value) > 1e-9 || got.Coverage != fig.Value.Coverage) {
					t.Errorf("park %s %s kept %+v, afresh %+v", p.Code, fig.Indicator.Code, got, fig.Value)
				}
			}
		}
		series, err := ContractsOf(st).OccupancySeries(ctx, sys, leasing.OccupancyFilter{}, today.AddMonths(-11), today)
		if err != nil {
			t.Fatal(err)
		}
		units, leases, err := st.OccupancyRows(ctx, sys, leasing.OccupancyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := leasing.Series(units, leases, today.AddMonths(-11), today)
		if len(series) != len(want) || series[len(series)-1].Figures.LeasedArea != want[len(want)-1].Figures.LeasedArea || want[len(want)-1].Figures.LeasedArea == 0 {
			t.Errorf("kept series ends at %+v, afresh %+v", series[len(series)-1].Figures, want[len(want)-1].Figures)
		}
	})
}

// TestAReportMovedRaisesBothParkYears: a report moved to another park raises the figures of
// the park-year it left as well as the one it joined (on SQLite a trigger of its own since
// migration 0042, run only when a report moves).
func TestAReportMovedRaisesBothParkYears(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st := eng.Open(t)
			w := NewWorld(t, st)
			sys, year := identity.System(), 2025
			stat := StatsOf(st)
			period, err := stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: year, Deadline: civil.Of(year+1, 3, 1)})
			if err != nil {
				t.Fatal(err)
			}
			reports, err := st.ListReports(ctx, sys, stats.ReportFilter{PeriodID: period.ID, ParkID: w.Parks[0].ID}, page.Request{})
			if err != nil || len(reports.Items) == 0 {
				t.Fatalf("reports of park 0: %v", err)
			}
			version := func(parkID string) int {
				t.Helper()
				var v int
				if err := st.Pools()["reader"].QueryRow(engineSQL(st, "SELECT version FROM park_figure_years WHERE park_id = ? AND year = ?"), parkID, year).Scan(&v); err != nil {
					t.Fatalf("version of %s: %v", parkID, err)
				}
				return v
			}
			from, to := version(w.Parks[0].ID), version(w.Parks[1].ID)
			if _, err := st.Pools()["writer"].Exec(engineSQL(st, "UPDATE reports SET park_id = ? WHERE id = ?"), w.Parks[1].ID, reports.Items[0].ID); err != nil {
				t.Fatal(err)
			}
			if v := version(w.Parks[0].ID); v <= from {
				t.Errorf("the park the report left: version %d, was %d", v, from)
			}
			if v := version(w.Parks[1].ID); v <= to {
				t.Errorf("the park the report joined: version %d, was %d", v, to)
			}
		})
	}
}
