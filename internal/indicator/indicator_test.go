package indicator

import (
	"errors"
	"math"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/stats"
)

// yuan is an amount of 元 in fen.
func yuan(y int64) int64 { return y * 100 }

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func quarter(seq int, approved bool, f stats.Figures) Filing {
	return Filing{Kind: stats.Quarterly, Seq: seq, Approved: approved, Figures: f}
}

func mustCompile(t *testing.T, text string) Formula {
	t.Helper()
	f, err := Compile(text)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func builtIn(t *testing.T, code string) Formula {
	t.Helper()
	for _, ind := range BuiltIns {
		if ind.Code == code {
			return mustCompile(t, ind.Formula)
		}
	}
	t.Fatalf("no built-in %s", code)
	return Formula{}
}

// Rule 1: an enterprise's year — flows summed or taken from the annual report, stocks at the
// last expected period, complete only when every expected report is approved.
func TestRule1EnterpriseYear(t *testing.T) {
	full := []Filing{
		quarter(1, true, stats.Figures{"revenue": yuan(100), "employees": 40, "financing": yuan(5)}),
		quarter(2, true, stats.Figures{"revenue": yuan(200), "employees": 42}),
		quarter(3, true, stats.Figures{"revenue": yuan(300), "employees": 45, "financing": yuan(7)}),
		quarter(4, true, stats.Figures{"revenue": yuan(400), "employees": 50, "financing": yuan(1)}),
	}
	y := YearOf("e1", "p1", 2025, full)
	if !y.Complete || y.Expected != 4 || y.Figures["revenue"] != yuan(1000) || y.Figures["employees"] != 50 {
		t.Fatalf("four approved quarters: %+v", y)
	}
	if _, ok := y.Figures["financing"]; ok {
		t.Errorf("financing left blank in Q2 must be missing for the year, got %d", y.Figures["financing"])
	}

	incomplete := append([]Filing{}, full...)
	incomplete[2].Approved = false
	y = YearOf("e1", "p1", 2025, incomplete)
	if y.Complete || y.Approved != 3 {
		t.Fatalf("Q3 not approved: complete=%v approved=%d", y.Complete, y.Approved)
	}
	if _, ok := y.Figures["revenue"]; ok {
		t.Errorf("an incomplete year's revenue is not a sum of what was approved")
	}

	annual := append(append([]Filing{}, full...), Filing{Kind: stats.Annual, Approved: true, Figures: stats.Figures{"revenue": yuan(1200), "employees": 99}})
	y = YearOf("e1", "p1", 2025, annual)
	if !y.Complete || y.Figures["revenue"] != yuan(1200) || y.Figures["employees"] != 50 || y.Kind != stats.Quarterly {
		t.Fatalf("the annual report wins for flows, the last quarter gives stocks: %+v", y)
	}

	joiner := YearOf("e2", "p1", 2025, full[2:])
	if !joiner.Complete || joiner.Expected != 2 || joiner.Figures["revenue"] != yuan(700) {
		t.Fatalf("a mid-year joiner is expected from Q3 on: %+v", joiner)
	}

	monthlyAndQuarterly := []Filing{quarter(1, true, stats.Figures{"revenue": yuan(10)}),
		{Kind: stats.Monthly, Seq: 1, Approved: true, Figures: stats.Figures{"revenue": yuan(3)}},
		{Kind: stats.Monthly, Seq: 2, Approved: false, Figures: stats.Figures{"revenue": yuan(3)}}}
	if y := YearOf("e3", "p1", 2025, monthlyAndQuarterly); y.Kind != stats.Monthly || y.Expected != 2 || y.Complete {
		t.Fatalf("the finest kind asked for decides what is expected: %+v", y)
	}
}

func year(id string, complete bool, f stats.Figures) Year {
	return Year{EnterpriseID: id, Complete: complete, Figures: f}
}

// Rule 2: a park's value sums complete years only, with coverage; ratios are pooled; a park-level
// submission is used instead.
func TestRule2ParkValueCoverageAndPooledRatios(t *testing.T) {
	p := ParkYear{ParkID: "p", Year: 2025, Years: []Year{
		year("a", true, stats.Figures{"revenue": yuan(1000), "rd_expense": yuan(100)}),
		year("b", true, stats.Figures{"revenue": yuan(3000), "rd_expense": yuan(600)}),
		year("c", false, stats.Figures{"revenue": yuan(99999), "rd_expense": yuan(99999)}),
	}}
	rev := ParkValue(mustCompile(t, "revenue"), p)
	if !rev.Known || rev.Coverage.Covered != 2 || rev.Coverage.Expected != 3 {
		t.Fatalf("revenue: %+v", rev)
	}
	near(t, "revenue", rev.Value, 4000)
	near(t, "coverage", rev.Coverage.Ratio(), 2.0/3)
	rd := ParkValue(builtIn(t, "rd_intensity"), p)
	near(t, "pooled R&D intensity (700 ÷ 4000, not the mean 15 %)", rd.Value, 17.5)

	p.ParkLevel = map[string]float64{"revenue": 5e9, "rd_expense": 4e8}
	lvl := ParkValue(builtIn(t, "rd_intensity"), p)
	if !lvl.Known || !lvl.Coverage.ParkLevel {
		t.Fatalf("park-level: %+v", lvl)
	}
	near(t, "park-level R&D intensity", lvl.Value, 8)

	empty := ParkValue(mustCompile(t, "revenue"), ParkYear{Years: []Year{year("x", false, stats.Figures{"revenue": 5})}})
	if empty.Known || len(empty.Missing) == 0 || empty.Coverage.Expected != 1 {
		t.Fatalf("no complete year: a missing value, never 0: %+v", empty)
	}
}

// Rule 3: land output in 亿元/km² and output per built area in 万元/㎡, with the area and its date.
func TestRule3LandAndFloorOutput(t *testing.T) {
	since := civil.Of(2023, 6, 1)
	p := ParkYear{Years: []Year{year("a", true, stats.Figures{"revenue": yuan(886_0000_0000)})},
		Attrs: map[string]Attr{"land_area": {1_000_000, since}, "floor_area": {20_000, since}}}
	lo := ParkValue(builtIn(t, "land_output"), p)
	near(t, "land output", lo.Value, 886)
	if lo.Attrs["land_area"].Since != since {
		t.Errorf("the area's date is not shown: %+v", lo.Attrs)
	}
	p.Years[0].Figures["revenue"] = yuan(1_0000_0000)
	near(t, "floor output", ParkValue(builtIn(t, "floor_output"), p).Value, 0.5)
	delete(p.Attrs, "land_area")
	if v := ParkValue(builtIn(t, "land_output"), p); v.Known || v.Missing[0] != "land_area" {
		t.Fatalf("without a land area: %+v", v)
	}
}

// Rule 4: patents per 10,000 staff, pooled.
func TestRule4PatentsPerTenThousandStaff(t *testing.T) {
	p := ParkYear{Years: []Year{
		year("a", true, stats.Figures{"invention_patents_granted": 3, "invention_patents_held": 10, "employees": 100}),
		year("b", true, stats.Figures{"invention_patents_granted": 2, "invention_patents_held": 40, "employees": 400}),
	}}
	near(t, "万人发明专利授权量", ParkValue(builtIn(t, "invention_patents_per_10k"), p).Value, 100)
	near(t, "万人有效发明专利拥有量", ParkValue(builtIn(t, "valid_invention_patents_per_10k"), p).Value, 1000)
}

// Rule 5: leading-industry concentration, by revenue and by count.
func TestRule5LeadingIndustryConcentration(t *testing.T) {
	a := year("a", true, stats.Figures{"revenue": yuan(700)})
	a.Leading = true
	p := ParkYear{Years: []Year{a, year("b", true, stats.Figures{"revenue": yuan(300)})}}
	near(t, "concentration", ParkValue(builtIn(t, "leading_concentration"), p).Value, 70)
	near(t, "count basis", ParkValue(builtIn(t, "leading_concentration_count"), p).Value, 50)
}

func revenuePark(id string, y int, revenues map[string]int64, incomplete ...string) ParkYear {
	p := ParkYear{ParkID: id, Year: y}
	for e, r := range revenues {
		complete := true
		for _, x := range incomplete {
			complete = complete && x != e
		}
		p.Years = append(p.Years, year(e, complete, stats.Figures{"revenue": yuan(r)}))
	}
	return p
}

// Rule 6: YoY on totals, like-for-like, CAGR, and a group's growth in both named forms.
func TestRule6Growth(t *testing.T) {
	rev := mustCompile(t, "revenue")
	prev := revenuePark("p", 2024, map[string]int64{"a": 600, "b": 400})
	cur := revenuePark("p", 2025, map[string]int64{"a": 800, "b": 1, "c": 480}, "b")
	g := YoY(rev, cur, prev)
	near(t, "YoY on totals", g.Rate, 0.28)
	lfl := LikeForLike(rev, cur, prev)
	if lfl.Form != "like_for_like" || lfl.NameZh == g.NameZh {
		t.Errorf("like-for-like must carry its own name: %+v", lfl)
	}
	near(t, "like-for-like (a only)", lfl.Rate, 800.0/600-1)

	base := revenuePark("p", 2022, map[string]int64{"a": 1000})
	end := revenuePark("p", 2025, map[string]int64{"a": 1331})
	near(t, "CAGR over 3 years", CAGR(rev, end, base, 3).Rate, 0.10)

	prevs := []ParkYear{revenuePark("P", 2024, map[string]int64{"a": 100}), revenuePark("Q", 2024, map[string]int64{"b": 300})}
	curs := []ParkYear{revenuePark("P", 2025, map[string]int64{"a": 120}), revenuePark("Q", 2025, map[string]int64{"b": 330}),
		revenuePark("R", 2025, map[string]int64{"c": 5000})}
	total, mean := GroupGrowthOfTotal(rev, curs, prevs, 1), GroupGrowthMean(rev, curs, prevs, 1)
	near(t, "growth of the total (450 ÷ 400 − 1; R has no 2024)", total.Rate, 0.125)
	near(t, "mean of the parks' growth ((20 % + 10 %) ÷ 2)", mean.Rate, 0.15)
	// Over three years: P 1,000 → 1,331 (10 %/yr), Q 1,000 → 1,728 (20 %/yr); the total 2,000 →
	// 3,059 grows (3,059 ÷ 2,000)^(1/3) − 1 = 15.21698 %/yr, the parks' CAGRs average 15 %.
	bases := []ParkYear{revenuePark("P", 2022, map[string]int64{"a": 1000}), revenuePark("Q", 2022, map[string]int64{"b": 1000})}
	ends := []ParkYear{revenuePark("P", 2025, map[string]int64{"a": 1331}), revenuePark("Q", 2025, map[string]int64{"b": 1728})}
	near(t, "group CAGR of the total", GroupGrowthOfTotal(rev, ends, bases, 3).Rate, 0.1521698164656)
	near(t, "mean of the parks' CAGR", GroupGrowthMean(rev, ends, bases, 3).Rate, 0.15)
	if total.NameEn == mean.NameEn || total.Form != "group_total" || mean.Form != "group_mean" {
		t.Errorf("the two group forms must be named apart: %q / %q", total.NameEn, mean.NameEn)
	}
	if missing := YoY(rev, cur, ParkYear{}); missing.Known {
		t.Errorf("growth without a base year: %+v", missing)
	}
}

// Rule 7: a group's ratio pooled over the parks that have both parts; benchmark multiples.
func TestRule7GroupRatiosAndBenchmarks(t *testing.T) {
	withLand := func(id string, revYi int64, km2 float64) ParkYear {
		p := revenuePark(id, 2025, map[string]int64{id + "-e": revYi * 1_0000_0000})
		if km2 > 0 {
			p.Attrs = map[string]Attr{"land_area": {km2 * 1e6, civil.Of(2024, 1, 1)}}
		}
		return p
	}
	v := GroupValue(builtIn(t, "land_output"), []ParkYear{withLand("P", 10, 1), withLand("Q", 30, 2), withLand("R", 50, 0)})
	near(t, "group land output ((10 + 30) ÷ (1 + 2))", v.Value, 40.0/3)
	if v.Coverage.Covered != 2 || v.Coverage.Expected != 3 || v.Coverage.Of != "parks" {
		t.Errorf("the group value must say it covers 2 of 3 parks: %+v", v.Coverage)
	}
	featured := Value{Known: true, Value: 12}
	zone := Value{Known: true, Value: 5}
	near(t, "benchmark multiple", Multiple(featured, zone).Value, 2.4)
	if Multiple(featured, Value{}).Known {
		t.Error("a multiple of a missing reference")
	}
}

// Rule 8 and the seed: 昌平 739 → 1500 亿 (2021 → 2025) needs ≈ 19.36 %/yr; with 800 亿 in 2022
// the plan is behind and needs ≈ 23.31 %/yr from then on.
func TestRule8GoalsReproduceTheSeed(t *testing.T) {
	g := Goal{BaselineYear: 2021, BaselineValue: 739, TargetYear: 2025, TargetValue: 1500}
	r := g.RequiredCAGR()
	if math.Round(r*10000) != 1936 {
		t.Fatalf("required CAGR %.6f, want ≈ 19.36 %%", r)
	}
	p := g.Measure(2022, 800)
	if p.OnTrack {
		t.Errorf("800 亿 in 2022 is below the path's %.1f 亿: behind", p.PathValue)
	}
	if math.Round(p.RemainingCAGR*10000) != 2331 {
		t.Fatalf("remaining CAGR %.6f, want ≈ 23.31 %%", p.RemainingCAGR)
	}
	near(t, "path in 2025", p.Path[2025], 1500)
	if ok := g.Measure(2022, 900); !ok.OnTrack {
		t.Error("900 亿 in 2022 is ahead of the path")
	}
	down := Goal{BaselineYear: 2021, BaselineValue: 100, TargetYear: 2025, TargetValue: 50}
	if down.Measure(2022, 80).OnTrack != true || down.Measure(2022, 95).OnTrack != false {
		t.Error("a goal that aims down is on track at or below its path")
	}
	if _, ok := (Goal{BaselineYear: 2021, BaselineValue: 0, TargetYear: 2025, TargetValue: 1}).Validate(); ok {
		t.Error("a zero baseline has no CAGR")
	}
}

func scheme() Scheme {
	return Scheme{
		Dimensions: []Dimension{
			{Code: "D1", Weight: 60, Indicators: []Item{
				{Indicator: "i1", Weight: 1.0, Norm: Norm{Kind: "min_max"}},
				{Indicator: "i2", Weight: 0.8, Norm: Norm{Kind: "benchmark", Benchmark: 10}},
			}},
			{Code: "D2", Weight: 40, Indicators: []Item{
				{Indicator: "i3", Weight: 1.2, Norm: Norm{Kind: "bands", Bands: []Band{{0, 20}, {60, 60}, {70, 100}}}},
			}},
		},
		Gates: []Gate{{Indicator: "conc", Op: ">=", Threshold: 70}},
		Tiers: []TierBand{{80, "key"}, {60, "reserve"}, {0, "planning"}},
	}
}

func known(vals map[string]float64) map[string]Value {
	out := map[string]Value{}
	for k, v := range vals {
		out[k] = Value{Known: true, Value: v}
	}
	return out
}

// Rule 9: normalisation, weights, a missing value scoring 0, a gate failure with no
// recommendation, ranking, and a total on a tier boundary.
func TestRule9Evaluation(t *testing.T) {
	subjects := []Subject{
		{ParkID: "P3", Values: known(map[string]float64{"i1": 30, "i2": 8, "i3": 55, "conc": 60})},
		{ParkID: "P2", Values: known(map[string]float64{"i1": 20, "i2": 5, "conc": 90})},
		{ParkID: "P1", Values: known(map[string]float64{"i1": 10, "i2": 12, "i3": 75, "conc": 80})},
	}
	scores := Evaluate(scheme(), subjects, func(string) bool { return false })
	by := map[string]Score{}
	for _, s := range scores {
		by[s.ParkID] = s
	}
	// D1 = (1.0 × minmax + 0.8 × benchmark) ÷ 1.8; total = 0.6 × D1 + 0.4 × D2.
	near(t, "P1 total", by["P1"].Total, 0.6*(0*1+100*0.8)/1.8+0.4*100)
	near(t, "P2 total", by["P2"].Total, 0.6*(50*1+50*0.8)/1.8)
	near(t, "P3 total", by["P3"].Total, 0.6*(100*1+80*0.8)/1.8+0.4*20)
	i3 := by["P2"].Dimensions[1].Items[0]
	if !i3.Missing || i3.Score != 0 || !by["P2"].MissingAny {
		t.Errorf("a missing value scores 0 and is flagged: %+v", i3)
	}
	if by["P3"].Qualified || by["P3"].Tier != "" || by["P3"].TierNoteZh != "未达门槛，不予推荐" {
		t.Errorf("P3 fails the gate (60 < 70) and gets no recommendation whatever its %.2f: %+v", by["P3"].Total, by["P3"])
	}
	if by["P1"].Tier != "reserve" || by["P2"].Tier != "planning" {
		t.Errorf("tiers: P1 %q, P2 %q", by["P1"].Tier, by["P2"].Tier)
	}
	if scores[0].ParkID != "P1" || scores[1].ParkID != "P2" || scores[2].ParkID != "P3" || scores[2].Rank != 3 {
		t.Errorf("qualified parks rank first by total, then the rest: %s %s %s", scores[0].ParkID, scores[1].ParkID, scores[2].ParkID)
	}
	var sum float64
	for _, d := range by["P1"].Dimensions {
		for _, it := range d.Items {
			sum += it.Contribution
		}
	}
	near(t, "the items' contributions add up to the total", sum, by["P1"].Total)

	// A total that lands on a band's bound: 0.3 × 50 + 0.7 × (45 ÷ 70 × 100) = 60.
	edge := Scheme{Dimensions: []Dimension{
		{Code: "A", Weight: 30, Indicators: []Item{{Indicator: "x", Weight: 1, Norm: Norm{Kind: "benchmark", Benchmark: 100}}}},
		{Code: "B", Weight: 70, Indicators: []Item{{Indicator: "y", Weight: 1, Norm: Norm{Kind: "benchmark", Benchmark: 70}}}},
	}, Tiers: scheme().Tiers}
	on := Evaluate(edge, []Subject{{ParkID: "E", Values: known(map[string]float64{"x": 50, "y": 45})}}, func(string) bool { return false })[0]
	if on.Tier != "reserve" {
		t.Errorf("a total of %.15f on the 60 bound must reach it: %q", on.Total, on.Tier)
	}
	// 1 % + 82 % + 17 % of 80 adds up to 79.99999999999998 in binary floating point: still 80.
	var three []Dimension
	for i, w := range []float64{1, 82, 17} {
		three = append(three, Dimension{Code: string(rune('A' + i)), Weight: w, Indicators: []Item{{Indicator: "x", Weight: 1, Norm: Norm{Kind: "benchmark", Benchmark: 100}}}})
	}
	eighty := Evaluate(Scheme{Dimensions: three, Tiers: scheme().Tiers}, []Subject{{ParkID: "E", Values: known(map[string]float64{"x": 80})}}, func(string) bool { return false })[0]
	if eighty.Tier != "key" {
		t.Errorf("a total of %.17f (80 on paper) must reach the 80 bound: %q", eighty.Total, eighty.Tier)
	}
	below := Evaluate(edge, []Subject{{ParkID: "E", Values: known(map[string]float64{"x": 49.99, "y": 45})}}, func(string) bool { return false })[0]
	if below.Tier != "planning" {
		t.Errorf("a total of %.4f is below 60: %q", below.Total, below.Tier)
	}

	tie := Evaluate(edge, []Subject{{ParkID: "A", Revenue: 1, Values: known(map[string]float64{"x": 50, "y": 45})},
		{ParkID: "B", Revenue: 2, Values: known(map[string]float64{"x": 50, "y": 45})}}, func(string) bool { return false })
	if tie[0].ParkID != "B" {
		t.Errorf("ties are broken by revenue: %s first", tie[0].ParkID)
	}

	lower := Evaluate(Scheme{Dimensions: []Dimension{{Code: "A", Weight: 100, Indicators: []Item{{Indicator: "v", Weight: 1, Norm: Norm{Kind: "min_max"}}}}}},
		[]Subject{{ParkID: "lo", Values: known(map[string]float64{"v": 1})}, {ParkID: "hi", Values: known(map[string]float64{"v": 3})}},
		func(string) bool { return true })
	if lower[0].ParkID != "lo" || lower[0].Total != 100 {
		t.Errorf("min–max reverses when lower is better: %+v", lower[0])
	}
}

// A scheme is refused with the field named: weights that do not sum to 100 %, a gate on an
// unknown indicator, a bad normalisation.
func TestSchemeValidation(t *testing.T) {
	s := scheme()
	s.Dimensions[1].Weight = 30
	s.Gates[0].Indicator = "nope"
	s.Dimensions[0].Indicators[1].Norm.Kind = "zscore"
	s.Dimensions[1].Code = "D1"
	s.Tiers[0].Tier = "重点打造"
	err := s.Validate(func(code string) bool { return code != "nope" })
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("want field errors, got %v", err)
	}
	fields := map[string]string{}
	for _, f := range ae.Fields {
		fields[f.Field] = f.Code
		if f.MessageZh == "" || f.MessageEn == "" {
			t.Errorf("%s: both languages are needed", f.Field)
		}
	}
	for field, code := range map[string]string{"dimensions": "weights_sum", "gates[0].indicator": "unknown", "dimensions[0].indicators[1].norm.kind": "invalid",
		"dimensions[1].code": "duplicate", "tiers[0].tier": "invalid"} {
		if fields[field] != code {
			t.Errorf("%s: %q, want %q (all: %v)", field, fields[field], code, fields)
		}
	}
	if err := scheme().Validate(func(string) bool { return true }); err != nil {
		t.Fatalf("a good scheme: %v", err)
	}
	wide := scheme()
	for range 300 {
		wide.Dimensions[0].Indicators = append(wide.Dimensions[0].Indicators, wide.Dimensions[0].Indicators[0])
	}
	if err := wide.Validate(func(string) bool { return true }); !errors.As(err, &ae) || ae.Fields[0].Code != "too_many" {
		t.Errorf("a scheme of 303 indicators: %v", err)
	}
}

// Formulas: the measures they use, and errors with their position.
func TestFormulas(t *testing.T) {
	f := mustCompile(t, "(revenue / 1e8) / (land_area / 1e6)")
	if len(f.Uses) != 2 || f.Uses[0] != "land_area" || f.Uses[1] != "revenue" {
		t.Errorf("uses %v", f.Uses)
	}
	for text, col := range map[string]int{"revenue / lnd_area": 11, "revenue / (land_area": 20, "revenue +": 9} {
		_, err := Compile(text)
		var fe *FormulaError
		if !errors.As(err, &fe) || fe.Line != 1 || fe.Column != col {
			t.Errorf("%q: %v, want an error at column %d", text, err, col)
		}
	}
	for _, bad := range []string{"", "len('abc')", "revenue > 1", `"text"`} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := mustCompile(t, "revenue / employees").Eval(map[string]float64{"revenue": 1, "employees": 0}); ok {
		t.Error("a division by zero is not a value")
	}
	for _, ind := range BuiltIns {
		if err := ind.Validate(func(string) bool { return true }, false); err != nil {
			t.Errorf("built-in %s: %v", ind.Code, err)
		}
	}
}

// Groups are read from one parameter, refused naming it, and select parks by pool, tier,
// district, featured year or id — the pool and the tiers as they stood at the end of the year.
func TestGroups(t *testing.T) {
	p := ParkFacts{ParkID: "a", District: "昌平区", InPool: true, Tier: "key", FeaturedYears: []int{2024}, EnteredOn: civil.Of(2022, 5, 1),
		TierHistory: []TierChange{{"planning", civil.Of(2022, 5, 1)}, {"reserve", civil.Of(2023, 12, 31)}, {"key", civil.Of(2024, 1, 1)}}}
	for text, want := range map[string]bool{"": true, "all": true, "pool": true, "district:昌平区": true, "district:海淀区": false,
		"tier:key": true, "tier:reserve": false, "featured:2024": true, "featured:2025": false, "parks:b, a": true, "parks:b": false} {
		g, err := ParseGroup("group", text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if g.Has(p, 2024) != want {
			t.Errorf("%q has the park: %v, want %v", text, g.Has(p, 2024), want)
		}
		if back, _ := ParseGroup("group", g.String()); back.String() != g.String() {
			t.Errorf("%q writes back as %q", text, g.String())
		}
	}
	// At the end of 2023 the park was of the tier decided on 31 December 2023; in 2021 it was
	// not in the pool at all, though a district still holds it.
	for _, c := range []struct {
		group string
		year  int
		want  bool
	}{{"tier:reserve", 2023, true}, {"tier:key", 2023, false}, {"tier:planning", 2022, true}, {"pool", 2021, false},
		{"tier:planning", 2021, false}, {"rest:2021", 2021, false}, {"district:昌平区", 2021, true}} {
		g, _ := ParseGroup("group", c.group)
		if g.Has(p, c.year) != c.want {
			t.Errorf("%s at the end of %d has the park: %v, want %v", c.group, c.year, !c.want, c.want)
		}
	}
	for _, bad := range []string{"tier:gold", "featured:1999", "featured:x", "district:", "parks:", "zone:1"} {
		var ae *apperr.Error
		if _, err := ParseGroup("subject", bad); !errors.As(err, &ae) || ae.Fields[0].Field != "subject" {
			t.Errorf("%q: %v, want a field error on subject", bad, err)
		}
	}
}
