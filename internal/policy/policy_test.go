package policy

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/stats"
)

func cond(t *testing.T, js string) Condition {
	t.Helper()
	var c Condition
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// sample is a company founded 2019-06-15, resident in park P1 since 2021-03-01, a national
// high-tech enterprise until 2026-06-30, with a complete 2025 (revenue 2,000 万元, R&D 160
// 万元, 120 staff) and a complete 2024 (revenue 1,600 万元); 2023 is incomplete.
func sample() Facts {
	return Facts{EnterpriseID: "E1", Name: "示例生物", ParkID: "P1", IndustryCode: "2761", ChainNodes: []string{"cgt"}, Stage: "accelerating",
		FoundedOn: civil.Of(2019, 6, 15), ScientistFounded: true,
		Stays:          []Stay{{ParkID: "P1", MoveIn: civil.Of(2021, 3, 1)}},
		Qualifications: []Held{{Kind: "high_tech", IssuedOn: civil.Of(2023, 7, 1), ExpiresOn: civil.Of(2026, 6, 30)}},
		Years: map[int]YearFigures{
			2025: yearOf(true, stats.Figures{"revenue": 2000_0000_00, "rd_expense": 160_0000_00, "tax": 90_0000_00, "employees": 120}),
			2024: yearOf(true, stats.Figures{"revenue": 1600_0000_00}),
			2023: yearOf(false, stats.Figures{"revenue": 1}),
		}}
}

// yearOf is a year with these figures.
func yearOf(complete bool, figs stats.Figures) YearFigures {
	y := YearFigures{Complete: complete}
	for m, v := range figs {
		y.Add(m, v)
	}
	return y
}

func outcomeOf(t *testing.T, c Condition, f Facts, day civil.Date, year int) Outcome {
	t.Helper()
	r, err := compile(c, "eligibility")
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	j := judge{facts: &f, day: day, year: year, leaves: make([]Outcome, maxLeaves+1)}
	return j.outcome(r)
}

func TestEveryComparison(t *testing.T) {
	day := civil.Of(2026, 3, 1)
	f := sample()
	cases := []struct {
		rule string
		want Outcome
	}{
		{`{"fact":"revenue","op":"gte","value":"20000000"}`, Met},
		{`{"fact":"revenue","op":"gt","value":"20000000"}`, NotMet},
		{`{"fact":"revenue","op":"lte","value":20000000}`, Met},
		{`{"fact":"revenue","op":"lt","value":"20000000.01"}`, Met},
		{`{"fact":"revenue","op":"eq","value":"20000000.00"}`, Met},
		{`{"fact":"rd_intensity","op":"gte","value":"8"}`, Met}, // 160 ÷ 2,000 = 8 % exactly
		{`{"fact":"rd_intensity","op":"gt","value":"8"}`, NotMet},
		{`{"fact":"revenue_growth","op":"gte","value":"25"}`, Met}, // 2,000 ÷ 1,600 − 1 = 25 %
		{`{"fact":"revenue_growth","op":"gt","value":"25"}`, NotMet},
		{`{"fact":"employees","op":"gte","value":120}`, Met},
		{`{"fact":"tax","op":"gte","value":"900000"}`, Met},
		{`{"fact":"age_years","op":"gte","value":6}`, Met}, // 2019-06-15 → 2026-03-01: six full years
		{`{"fact":"age_years","op":"lt","value":7}`, Met},
		{`{"fact":"residence_years","op":"gte","value":5}`, Met}, // 2021-03-01 → 2026-03-01: 5 years on the day
		{`{"fact":"industry","op":"in","value":["27"]}`, Met},
		{`{"fact":"industry","op":"in","value":["2710","35"]}`, NotMet},
		{`{"fact":"chain_node","op":"in","value":["cgt","ai"]}`, Met},
		{`{"fact":"park","op":"in","value":["P2"]}`, NotMet},
		{`{"fact":"park","op":"in","value":["P1"]}`, Met},
		{`{"fact":"stage","op":"in","value":["incubating","accelerating"]}`, Met},
		{`{"fact":"qualification","op":"has","value":["high_tech","little_giant"]}`, Met},
		{`{"fact":"scientist_founded","op":"is","value":true}`, Met},
		{`{"fact":"returnee_founded","op":"is","value":true}`, NotMet},
		{`{"fact":"returnee_founded","op":"is","value":false}`, Met},
	}
	for _, c := range cases {
		if got := outcomeOf(t, cond(t, c.rule), f, day, 2025); got != c.want {
			t.Errorf("%s: got %s, want %s", c.rule, got, c.want)
		}
	}
}

func TestMissingDataAndNesting(t *testing.T) {
	day := civil.Of(2026, 3, 1)
	f := sample()
	// 2023 is incomplete: its revenue is missing, whatever the report says; growth 2024/2023 too.
	if got := outcomeOf(t, cond(t, `{"fact":"revenue","op":"gte","value":"0"}`), f, day, 2023); got != Missing {
		t.Errorf("incomplete year: %s", got)
	}
	if got := outcomeOf(t, cond(t, `{"fact":"revenue_growth","op":"gte","value":"0"}`), f, day, 2024); got != Missing {
		t.Errorf("growth over an incomplete year: %s", got)
	}
	// 2024 has no R&D figure: intensity is missing.
	if got := outcomeOf(t, cond(t, `{"fact":"rd_intensity","op":"gte","value":"1"}`), f, day, 2024); got != Missing {
		t.Errorf("no R&D: %s", got)
	}
	missing := `{"fact":"revenue","op":"gte","value":"1"}` // read for 2023: missing
	cases := []struct {
		rule string
		want Outcome
	}{
		{`{"op":"and","of":[` + missing + `,{"fact":"park","op":"in","value":["P1"]}]}`, Missing},
		{`{"op":"and","of":[` + missing + `,{"fact":"park","op":"in","value":["P2"]}]}`, NotMet},
		{`{"op":"or","of":[` + missing + `,{"fact":"park","op":"in","value":["P1"]}]}`, Met},
		{`{"op":"or","of":[` + missing + `,{"fact":"park","op":"in","value":["P2"]}]}`, Missing},
		{`{"op":"not","of":[` + missing + `]}`, Missing},
		{`{"op":"not","of":[{"fact":"park","op":"in","value":["P2"]}]}`, Met},
		{`{"op":"and","of":[{"op":"or","of":[{"fact":"stage","op":"in","value":["scaling"]},{"op":"not","of":[{"fact":"industry","op":"in","value":["35"]}]}]},
			{"fact":"scientist_founded","op":"is","value":true}]}`, Met},
	}
	for _, c := range cases {
		if got := outcomeOf(t, cond(t, c.rule), f, day, 2023); got != c.want {
			t.Errorf("%s: got %s, want %s", c.rule, got, c.want)
		}
	}
}

func TestQualificationValidityDates(t *testing.T) {
	f := sample()
	has := cond(t, `{"fact":"qualification","op":"has","value":["high_tech"]}`)
	for day, want := range map[civil.Date]Outcome{
		civil.Of(2023, 6, 30): NotMet, // before it was issued
		civil.Of(2023, 7, 1):  Met,
		civil.Of(2026, 6, 30): Met, // its last day
		civil.Of(2026, 7, 1):  NotMet,
	} {
		if got := outcomeOf(t, has, f, day, 2025); got != want {
			t.Errorf("on %s: %s, want %s", day, got, want)
		}
	}
}

func TestNearMissNamesTheOneCondition(t *testing.T) {
	p := Policy{Amount: AmountRule{Kind: "fixed", Fixed: measure.Yuan(100000)}, FactsYear: 2025,
		Eligibility: cond(t, `{"op":"and","of":[{"fact":"park","op":"in","value":["P1"]},{"fact":"employees","op":"gte","value":200},
			{"fact":"qualification","op":"has","value":["high_tech"]}]}`)}
	r, err := compile(p.Eligibility, "eligibility")
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{}
	m := s.explain(p, r, sample(), civil.Of(2026, 3, 1), Names{"P1": "四季青"})
	if m.Outcome != NotMet || len(m.ShortZh) != 1 || !strings.Contains(m.ShortZh[0], "从业人员") {
		t.Fatalf("near miss: %+v", m)
	}
	emp := m.Explanation.Of[1]
	if emp.Outcome != NotMet || emp.Value != "120" || emp.Period != "2025" {
		t.Errorf("explanation of employees: %+v", emp)
	}
	if !strings.Contains(m.Explanation.Of[0].Value, "四季青") {
		t.Errorf("park named: %+v", m.Explanation.Of[0])
	}
	// Two conditions short is not near.
	p.Eligibility = cond(t, `{"op":"and","of":[{"fact":"park","op":"in","value":["P2"]},{"fact":"employees","op":"gte","value":200}]}`)
	r, _ = compile(p.Eligibility, "eligibility")
	if m := s.explain(p, r, sample(), civil.Of(2026, 3, 1), nil); len(m.ShortZh) != 0 {
		t.Errorf("two short: %+v", m.ShortZh)
	}
}

func TestBadConditionsNameTheirField(t *testing.T) {
	cases := map[string]string{
		`{"fact":"profit","op":"gte","value":"1"}`:                                 "eligibility.fact",
		`{"fact":"revenue","op":"in","value":["1"]}`:                               "eligibility.op",
		`{"fact":"revenue","op":"gte","value":"ten"}`:                              "eligibility.value",
		`{"fact":"revenue","op":"gte","value":["1"]}`:                              "eligibility.value",
		`{"fact":"qualification","op":"has","value":["nobel"]}`:                    "eligibility.value[0]",
		`{"fact":"scientist_founded","op":"is","value":"yes"}`:                     "eligibility.value",
		`{"op":"and","of":[{"fact":"industry","op":"in","value":["2x"]}]}`:         "eligibility.of[0].value[0]",
		`{"op":"not","of":[]}`:                                                     "eligibility.of",
		`{"op":"or","of":[{"op":"and","of":[{"fact":"x","op":"gte","value":1}]}]}`: "eligibility.of[0].of[0].fact",
		`{"fact":"revenue","op":"gte","value":"-5"}`:                               "eligibility.value",
	}
	for js, field := range cases {
		_, err := compile(cond(t, js), "eligibility")
		e, ok := apperr.As(err)
		if !ok || !slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == field && f.MessageZh != "" && f.MessageEn != "" }) {
			t.Errorf("%s: want a problem on %s, got %v", js, field, err)
		}
	}
	deep := `{"fact":"revenue","op":"gte","value":"1"}`
	for range maxDepth {
		deep = `{"op":"and","of":[` + deep + `]}`
	}
	if _, err := compile(cond(t, deep), "eligibility"); err == nil {
		t.Error("nine levels accepted")
	}
}

func TestDescribeInBothLanguages(t *testing.T) {
	zh, en, err := Describe(cond(t, `{"op":"and","of":[{"fact":"revenue","op":"gte","value":"10000000"},
		{"op":"or","of":[{"fact":"qualification","op":"has","value":["high_tech"]},{"fact":"scientist_founded","op":"is","value":true}]},
		{"op":"not","of":[{"fact":"stage","op":"in","value":["graduated"]}]}]}`), nil, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if zh != "（营业收入 ≥ 10,000,000.00 元（2025 年度） 且 （持有有效资质：国家高新技术企业（任一） 或 知名科学家创办） 且 并非发展阶段为 已毕业）" {
		t.Errorf("zh: %s", zh)
	}
	if en != "(Revenue ≥ 10,000,000.00 yuan (in 2025) and (holds a valid National high-tech enterprise or Founded by a renowned scientist) and not stage is Graduated)" {
		t.Errorf("en: %s", en)
	}
}

func TestAmountRules(t *testing.T) {
	f := sample() // 2025 revenue 20,000,000.00; R&D 1,600,000.00
	cases := []struct {
		rule AmountRule
		want measure.Money
	}{
		{AmountRule{Kind: "fixed", Fixed: measure.Yuan(500000)}, measure.Yuan(500000)},
		{AmountRule{Kind: "percent", Percent: 10_00, Measure: "rd_expense"}, measure.Yuan(160000)},
		{AmountRule{Kind: "percent", Percent: 10_00, Measure: "rd_expense", Cap: measure.Yuan(100000)}, measure.Yuan(100000)},
		{AmountRule{Kind: "percent", Percent: 1, Measure: "rd_expense", Floor: measure.Yuan(50000)}, measure.Yuan(50000)}, // 0.01 % = 160 元, raised
		{AmountRule{Kind: "percent", Percent: 33, Measure: "revenue"}, measure.Money(6_600_000)},                          // 0.33 % of 2,000 万 = 66,000.00
		{AmountRule{Kind: "bands", Measure: "revenue", Bands: []Band{{measure.Yuan(0), measure.Yuan(100000)}, {measure.Yuan(10_000_000), measure.Yuan(300000)},
			{measure.Yuan(50_000_000), measure.Yuan(1_000_000)}}}, measure.Yuan(300000)},
	}
	for _, c := range cases {
		var fs apperr.Fields
		c.rule.Validate(&fs, "amount")
		if len(fs) > 0 {
			t.Fatalf("%+v: %v", c.rule, fs)
		}
		e := c.rule.Estimate(f, 2025)
		if !e.Known || e.Amount != c.want {
			t.Errorf("%+v: %+v, want %s", c.rule, e, c.want)
		}
	}
	// Half a fen rounds up: 0.01 % of 123,456.78 元 is 12.345678 元 → 12.35.
	f.Years[2025] = yearOf(true, stats.Figures{"tax": 12345678})
	if e := (AmountRule{Kind: "percent", Percent: 1, Measure: "tax"}).Estimate(f, 2025); e.Amount != 1235 {
		t.Errorf("rounding: %s", e.Amount)
	}
	if e := (AmountRule{Kind: "percent", Percent: 10_00, Measure: "revenue"}).Estimate(f, 2023); e.Known {
		t.Errorf("incomplete year estimated: %+v", e)
	}
	var fs apperr.Fields
	AmountRule{Kind: "percent", Percent: 10_00, Measure: "revenue", Floor: measure.Yuan(10), Cap: measure.Yuan(5)}.Validate(&fs, "amount")
	if !slices.ContainsFunc(fs, func(f apperr.FieldError) bool { return f.Field == "amount.cap" && f.Code == "below_floor" }) {
		t.Errorf("cap below floor: %v", fs)
	}
	if most := (AmountRule{Kind: "percent", Percent: 5_00, Measure: "revenue", Cap: measure.Yuan(800000)}).Most(); most != measure.Yuan(800000) {
		t.Errorf("most: %s", most)
	}
}
