package api

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
)

// fileYear opens a park's periods of a kind for a year, imports each enterprise's figures for
// each period submitted, and approves all but the reports skip names (enterprise index, seq).
func fileYear(t *testing.T, e *env, park space.Park, kind stats.Kind, year int, ents []enterprise.Enterprise,
	figures func(ent, seq int) stats.Figures, skip map[[2]int]bool) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	seqs := []int{0}
	if kind == stats.Quarterly {
		seqs = []int{1, 2, 3, 4}
	}
	for _, seq := range seqs {
		p, err := storetest.StatsOf(e.store).OpenPeriod(ctx, sys, stats.Period{ParkID: park.ID, Kind: kind, Year: year, Seq: seq, Deadline: civil.Of(year+1, 3, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var rows []stats.ImportRow
		for i, ent := range ents {
			rows = append(rows, stats.ImportRow{Row: i + 3, CreditCode: ent.CreditCode, Figures: figures(i, seq), Submit: true})
		}
		if _, problems, err := storetest.StatsOf(e.store).ImportReports(ctx, sys, p.ID, rows, false); err != nil || len(problems) > 0 {
			t.Fatalf("import %s: %v %+v", p.Label(), err, problems)
		}
		reports, err := e.store.ListReports(ctx, sys, stats.ReportFilter{PeriodID: p.ID}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reports.Items {
			i := 0
			for j, ent := range ents {
				if ent.ID == r.EnterpriseID {
					i = j
				}
			}
			if skip[[2]int{i, seq}] {
				continue
			}
			if _, err := storetest.StatsOf(e.store).ReviewReport(ctx, sys, r.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func yi(x float64) int64 { return int64(math.Round(x * 1e10)) } // 亿元 in fen

// TestParkIndicatorsFromApprovedReports: a park's indicators computed through the database by
// §6.1, checked by hand. 2024 was filed annually (A 8 亿, B 3 亿); 2025 quarterly, A 2.5 亿 a
// quarter, B's Q4 never approved. So 2025 revenue is A's 10 亿 with coverage 1/2; land output
// 10 亿 ÷ 0.5 km² = 20; YoY on totals 10 ÷ 11 − 1; like-for-like (A alone) 10 ÷ 8 − 1 = 25 %.
func TestParkIndicatorsFromApprovedReports(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx, sys := context.Background(), identity.System()
		park, err := storetest.SpaceOf(e.store).CreatePark(ctx, sys, space.Park{Code: "IND", NameZh: "指标园区", Status: space.ParkOperating,
			LandArea: 500_000_00})
		if err != nil {
			t.Fatal(err)
		}
		var ents []enterprise.Enterprise
		for i := range 2 {
			ent, err := storetest.EnterpriseOf(e.store).CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: park.ID,
				Name: fmt.Sprintf("指标企业%d", i), CreditCode: storetest.CreditCode(900 + i)})
			if err != nil {
				t.Fatal(err)
			}
			ents = append(ents, ent)
		}
		base := func(revenue int64) stats.Figures {
			return stats.Figures{"revenue": revenue, "rd_expense": revenue / 10, "tax": revenue / 20, "employees": 100, "rd_staff": 30,
				"invention_patents_granted": 2, "invention_patents_held": 10}
		}
		fileYear(t, e, park, stats.Annual, 2024, ents, func(i, _ int) stats.Figures { return base([]int64{yi(8), yi(3)}[i]) }, nil)
		fileYear(t, e, park, stats.Quarterly, 2025, ents, func(i, _ int) stats.Figures { return base([]int64{yi(2.5), yi(1)}[i]) },
			map[[2]int]bool{{1, 4}: true})

		var got indicator.ParkFigures
		e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/indicators?year=2025", nil, 200, &got)
		by := map[string]indicator.Figure{}
		for _, f := range got.Figures {
			by[f.Indicator.Code] = f
		}
		near := func(what string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s = %.12g, want %.12g", what, got, want)
			}
		}
		rev := by["revenue"]
		near("revenue (亿元)", rev.Value.Value, 10)
		if rev.Value.Coverage.Covered != 1 || rev.Value.Coverage.Expected != 2 {
			t.Errorf("coverage %+v, want 1 of 2 (B's Q4 is not approved)", rev.Value.Coverage)
		}
		near("land output (亿元/km²)", by["land_output"].Value.Value, 20)
		if by["land_output"].Value.Attrs["land_area"].Value != 500_000 {
			t.Errorf("the area used is not shown: %+v", by["land_output"].Value.Attrs)
		}
		near("R&D intensity (%)", by["rd_intensity"].Value.Value, 10)
		near("YoY on totals", rev.YoY.Rate, 10.0/11-1)
		near("like-for-like", rev.LikeForLike.Rate, 0.25)
		near("revenue_growth", by["revenue_growth"].Growth.Rate, 10.0/11-1)
		if by["floor_output"].Value.Known || len(by["floor_output"].Value.Missing) == 0 {
			t.Errorf("no floor area: output per built area must be missing, not 0: %+v", by["floor_output"].Value)
		}

		var table indicator.Table
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=land_output&year=2025", nil, 200, &table)
		near("the group's land output", table.Total.Value, 20)
		if table.Total.Coverage.Covered != 1 || table.Total.Coverage.Of != "parks" || table.Total.Coverage.Expected < 3 {
			t.Errorf("the group covers the one park with an area and reports: %+v", table.Total.Coverage)
		}
		if table.GrowthTotal == nil || table.GrowthMean == nil || table.GrowthTotal.Form == table.GrowthMean.Form {
			t.Errorf("both named group growth forms are given: %+v / %+v", table.GrowthTotal, table.GrowthMean)
		}

		// A quarter of 2025: each enterprise's quarterly report (A 2.5 亿, B 1 亿 a quarter). Q2 is
		// complete for both; B's Q4 is not approved; 2024 was filed yearly, so Q2 2024 — and the
		// growth — is missing, never zero.
		var q2, q4 indicator.Table
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=revenue&year=2025&quarter=2&group=parks:"+park.ID, nil, 200, &q2)
		if q2.Quarter != 2 || len(q2.Parks) != 1 {
			t.Fatalf("Q2 table: %+v", q2)
		}
		near("Q2 revenue (亿元)", q2.Parks[0].Value.Value, 3.5)
		if q2.GrowthTotal == nil || q2.GrowthTotal.Known || q2.GrowthTotal.From.Known {
			t.Errorf("Q2 2024 has no quarterly reports: its growth must be missing: %+v", q2.GrowthTotal)
		}
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=revenue&year=2025&quarter=4&group=parks:"+park.ID, nil, 200, &q4)
		near("Q4 revenue (A only)", q4.Parks[0].Value.Value, 2.5)
		if c := q4.Parks[0].Value.Coverage; c.Covered != 1 || c.Expected != 2 {
			t.Errorf("Q4 coverage %+v, want 1 of 2", c)
		}
		for _, q := range []string{"quarter=5", "quarter=0", "quarter=x"} {
			var p httpx.Problem
			e.do(identity.Authority, "GET", "/api/v1/indicator-values?year=2025&"+q, nil, 422, &p)
			if len(p.Errors) == 0 || p.Errors[0].Field != "quarter" {
				t.Errorf("%s: %+v, want an error on quarter", q, p)
			}
		}

		// Groups: the park is pooled at the key tier and featured in 2025.
		pooledPark(t, e, park.ID)
		e.do(identity.Authority, "POST", "/api/v1/pool/"+park.ID+"/tier", map[string]any{"tier": "key", "effective_on": "2025-01-01", "reason": "示范"}, 200, nil)
		e.do(identity.Authority, "POST", "/api/v1/pool/"+park.ID+"/recognitions", map[string]any{"year": 2025}, 200, nil)
		var keyTier indicator.Table
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=revenue&year=2025&group=tier:key", nil, 200, &keyTier)
		if len(keyTier.Parks) != 1 || keyTier.Parks[0].Park.ParkID != park.ID || keyTier.Total.Coverage.Expected != 1 {
			t.Errorf("the key tier is this park alone: %+v", keyTier.Parks)
		}
		var cmp indicator.Comparison
		e.do(identity.Authority, "GET", "/api/v1/indicator-comparison?indicator=rd_intensity&year=2025&subject=featured:2025&reference=all", nil, 200, &cmp)
		near("featured parks' R&D intensity", cmp.Of.Value, 10)
		near("multiple over all parks (the only reporting park is the featured one)", cmp.Multiple.Value, 1)
		var growth indicator.Comparison
		e.do(identity.Authority, "GET", "/api/v1/indicator-comparison?indicator=revenue_growth&year=2025&subject=featured:2025", nil, 200, &growth)
		near("featured parks' growth of the total (%)", growth.Of.Value, (10.0/11-1)*100)
		for _, q := range []string{"subject=tier:gold", "subject=featured:abc", "reference=nonsense"} {
			e.do(identity.Authority, "GET", "/api/v1/indicator-comparison?"+q, nil, 422, nil)
		}
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?group=district:", nil, 422, nil)
		var early indicator.Overview
		e.do(identity.Authority, "GET", "/api/v1/cockpit?year=2000", nil, 200, &early)
		if len(early.Trend) != 1 || early.Trend[0].Year != 2000 {
			t.Errorf("the trend of 2000 starts in 2000: %+v", early.Trend)
		}

		// Each enterprise's own years: A complete in 2025 (10 亿, R&D 10 %) and 2024 (8 亿); B's 2025 incomplete.
		var annual []indicator.EnterpriseYear
		e.do(identity.Authority, "GET", "/api/v1/enterprises/"+ents[0].ID+"/annual?year=2025&years=3", nil, 200, &annual)
		if len(annual) != 2 || annual[0].Year.Year != 2025 || !annual[0].Complete {
			t.Fatalf("A's years: %+v", annual)
		}
		near("A's 2025 revenue", annual[0].Values["revenue"].Value, 10)
		near("A's 2025 R&D intensity", annual[0].Values["rd_intensity"].Value, 10)
		near("A's 2024 revenue", annual[1].Values["revenue"].Value, 8)
		e.do(identity.Authority, "GET", "/api/v1/enterprises/"+ents[1].ID+"/annual?year=2025&years=1", nil, 200, &annual)
		if len(annual) != 1 || annual[0].Complete || annual[0].Values["revenue"].Known {
			t.Errorf("B's incomplete 2025 has no values: %+v", annual)
		}
		e.do(identity.EntAdmin, "GET", "/api/v1/enterprises/"+ents[0].ID+"/annual", nil, 404, nil)
		e.do(identity.Authority, "GET", "/api/v1/enterprises/"+ents[0].ID+"/annual?years=abc", nil, 422, nil)

		// A goal for the park measures the computed 2025 revenue (10 亿, 1 of 2 enterprises).
		var goal goals.Goal
		e.do(identity.Authority, "POST", "/api/v1/goals", map[string]any{"name": "两年增长 44%", "indicator": "revenue", "group": "parks:" + park.ID,
			"baseline_year": 2024, "baseline_value": 11, "target_year": 2026, "target_value": 15.84}, 201, &goal)
		var progress goals.Progress
		e.do(identity.Authority, "GET", "/api/v1/goals/"+goal.ID, nil, 200, &progress)
		near("required CAGR", progress.RequiredCAGR, 0.2)
		if len(progress.Actuals) != 1 || progress.Actuals[0].Source != "computed" || progress.Actuals[0].Coverage.Covered != 1 || progress.OnTrack {
			t.Errorf("computed actuals: %+v on track %v", progress.Actuals, progress.OnTrack)
		}
		near("remaining CAGR from 10 亿", progress.RemainingCAGR, 0.584)

		// Scope: an operator of another park neither gets this park nor sees it in a table.
		e.do(identity.ParkManager, "GET", "/api/v1/parks/"+park.ID+"/indicators?year=2025", nil, 404, nil)
		var theirs indicator.Table
		e.do(identity.ParkManager, "GET", "/api/v1/indicator-values?indicator=revenue&year=2025", nil, 200, &theirs)
		for _, row := range theirs.Parks {
			if row.Park.ParkID == park.ID {
				t.Error("an operator of another park sees this park's revenue")
			}
		}
		// Bad input names the field and changes nothing.
		for _, q := range []string{"year=abc", "year=1999", "year=99999999999999999999"} {
			e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/indicators?"+q, nil, 422, nil)
		}
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=nope", nil, 404, nil)
		// The authority adds an indicator without a release; a bad formula is refused at its position.
		bad := e.problem(identity.Authority, "POST", "/api/v1/indicators", map[string]any{"code": "tax_per_staff", "name_zh": "人均纳税", "name_en": "Tax per employee",
			"unit": "元/人", "formula": "tax / employes", "basis": "staff"}, 422)
		if !hasField(bad, "formula") || !strings.Contains(bad.Errors[0].MessageZh, "第 1 行第 7 列") {
			t.Errorf("a misspelt measure: %+v", bad.Errors)
		}
		e.do(identity.Authority, "POST", "/api/v1/indicators", map[string]any{"code": "tax_per_staff", "name_zh": "人均纳税", "name_en": "Tax per employee",
			"unit": "元/人", "formula": "tax / employees", "basis": "staff", "higher_is_better": true}, 201, nil)
		e.do(identity.Authority, "POST", "/api/v1/indicators", map[string]any{"code": "tax_per_staff", "name_zh": "重复", "name_en": "dup",
			"unit": "元/人", "formula": "tax", "basis": "staff"}, 422, nil)
		e.do(identity.ParkManager, "POST", "/api/v1/indicators", map[string]any{"code": "mine", "name_zh": "x", "name_en": "x",
			"unit": "个", "formula": "tax", "basis": "staff"}, 403, nil)
		var custom indicator.Table
		e.do(identity.Authority, "GET", "/api/v1/indicator-values?indicator=tax_per_staff&year=2025&group=parks:"+park.ID, nil, 200, &custom)
		// A's 2025 tax (5 % of 10 亿 = 5,000 万元) over its 100 staff.
		near("tax per employee (元)", custom.Parks[0].Value.Value, 5e7/100)

		// Attributes with dates: the land area halves from mid-2025, so 2025 uses 0.25 km² (40 亿元/km²).
		e.do(identity.Authority, "POST", "/api/v1/parks/"+park.ID+"/attributes", map[string]any{"key": "land_area", "value": 250000, "effective_on": "2025-06-01"}, 201, nil)
		e.do(identity.Authority, "POST", "/api/v1/parks/"+park.ID+"/attributes", map[string]any{"key": "incubators", "value": 1.5, "effective_on": "2025-06-01"}, 422, nil)
		e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/indicators?year=2025", nil, 200, &got)
		for _, f := range got.Figures {
			if f.Indicator.Code == "land_output" {
				near("land output on the mid-2025 area", f.Value.Value, 40)
				if f.Value.Attrs["land_area"].Since.String() != "2025-06-01" {
					t.Errorf("the area's date: %+v", f.Value.Attrs)
				}
			}
		}
		// A park-level submission replaces the enterprises' sums for its year, and says so.
		e.do(identity.Authority, "POST", "/api/v1/parks/"+park.ID+"/submissions", map[string]any{"year": 2025,
			"figures": map[string]any{"revenue": "2000000000.00", "rd_expense": "100000000.00", "employees": 300}}, 200, nil)
		e.do(identity.Authority, "POST", "/api/v1/parks/"+park.ID+"/submissions", map[string]any{"year": 2025, "figures": map[string]any{"revenue": "-1"}}, 422, nil)
		e.do(identity.ParkManager, "POST", "/api/v1/parks/"+park.ID+"/submissions", map[string]any{"year": 2025, "figures": map[string]any{"revenue": "1"}}, 404, nil)
		e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/indicators?year=2025", nil, 200, &got)
		for _, f := range got.Figures {
			switch f.Indicator.Code {
			case "revenue":
				near("park-level revenue", f.Value.Value, 20)
				if !f.Value.Coverage.ParkLevel || f.LikeForLike.Known {
					t.Errorf("park-level: coverage %+v, like-for-like %+v", f.Value.Coverage, f.LikeForLike)
				}
			case "rd_intensity":
				near("park-level R&D intensity", f.Value.Value, 5)
			}
		}
		// The same from a workbook: a bad cell and an unknown code by row and column, nothing written;
		// then 2024's figures in 万元.
		badBook := "园区编码,年度,营业收入（万元）,从业人员期末人数\n" + park.Code + ",2024,abc,10\nNOPE,2024,5,1\n"
		pr := e.problem(identity.Authority, "POST", "/api/v1/park-submissions/imports", []byte(badBook), 422)
		if !hasField(pr, "CSV!C2") || !hasField(pr, "CSV!A3") {
			t.Errorf("bad park-level workbook: %+v", pr.Errors)
		}
		good := "园区编码,年度,营业收入（万元）,从业人员期末人数\n" + park.Code + ",2024,150000,200\n"
		e.do(identity.Authority, "POST", "/api/v1/park-submissions/imports", []byte(good), 200, nil)
		e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/indicators?year=2024", nil, 200, &got)
		for _, f := range got.Figures {
			if f.Indicator.Code == "revenue" {
				near("2024 from the workbook (15 亿)", f.Value.Value, 15)
			}
		}
		var data indicator.ParkData
		e.do(identity.Authority, "GET", "/api/v1/parks/"+park.ID+"/park-data", nil, 200, &data)
		if len(data.Submissions) != 2 || len(data.Attributes) != 1 {
			t.Errorf("park data: %+v", data)
		}

		var ind indicator.Indicator
		e.do(identity.Authority, "GET", "/api/v1/indicators/rd_intensity", nil, 200, &ind)
		if ind.Formula != "rd_expense / revenue * 100" || ind.DefinitionZh == "" {
			t.Errorf("indicator definition: %+v", ind)
		}
	})
}
