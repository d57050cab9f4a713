package storetest

import (
	"fmt"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
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
				svc := indicator.NewService(reader, ContractsOf(reader).Service, civil.SystemClock{})
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
			if _, err := stat.OpenPeriod(ctx, sys, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Quarterly, Year: year, Seq: 1, Deadline: civil.Of(year, 4, 15)}); err != nil {
				t.Fatal(err)
			}
			check("a quarterly period makes a year incomplete")
		})
	}
}
