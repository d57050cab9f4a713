package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/submissionbook"
)

func (s *Server) indicatorRoutes(mux *http.ServeMux) {
	mux.Handle("GET /indicators", s.listPage(s.indicatorsPage))
	mux.Handle("GET /indicators/compare", s.listPage(s.comparePage))
	mux.Handle("POST /indicators/parks/{id}/submissions", s.page(s.parkSubmission))
	mux.Handle("POST /indicators/parks/{id}/attributes", s.page(s.parkAttribute))
	mux.Handle("GET /indicators/submissions", s.page(s.submissionsImport))
	mux.Handle("POST /indicators/submissions", s.page(s.submissionsImport))
	mux.Handle("GET /indicators/new", s.page(s.indicatorForm))
	mux.Handle("POST /indicators/new", s.page(s.indicatorForm))
}

// indicatorForm adds an indicator of the authority's own: its formula over the measures listed
// beside the form, checked with its error's position.
func (s *Server) indicatorForm(rq *request) error {
	var measures []string
	for _, n := range indicator.Names {
		measures = append(measures, n.Key+"（"+rq.pick(n.Zh, n.En)+"，"+n.Unit+"）")
	}
	specs := []fieldSpec{
		{Name: "code", Label: k("indicators.code"), Kind: "text", Required: true},
		{Name: "name_zh", Label: k("indicators.name_zh"), Kind: "text", Required: true},
		{Name: "name_en", Label: k("indicators.name_en"), Kind: "text", Required: true},
		{Name: "unit", Label: k("indicators.unit"), Kind: "text", Required: true},
		{Name: "formula", Label: k("indicators.formula"), Kind: "text", Required: true, Help: k("indicators.formula_help"), HelpArgs: []any{strings.Join(measures, "、")}},
		{Name: "basis", Label: k("indicators.basis"), Kind: "select", Required: true, Options: []option{{Value: "revenue", Label: "revenue"},
			{Value: "area", Label: "area"}, {Value: "staff", Label: "staff"}, {Value: "count", Label: "count"}}},
		{Name: "higher_is_better", Label: k("indicators.higher_is_better"), Kind: "checkbox"},
		{Name: "stock", Label: k("indicators.stock"), Kind: "checkbox"},
		{Name: "definition_zh", Label: k("indicators.definition_zh"), Kind: "textarea"},
		{Name: "definition_en", Label: k("indicators.definition_en"), Kind: "textarea"},
	}
	crumbs := []crumb{{rq.t("indicators.title"), "/indicators"}}
	title := rq.t("indicators.new")
	if rq.r.Method == http.MethodGet {
		return s.showCustomForm(rq, title, specs, values{"basis": {"revenue"}, "higher_is_better": {"true"}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var in indicator.Indicator
	var out indicator.Indicator
	err = httpin.DecodeStrict(toJSON(specs, vals), &in)
	if err == nil {
		out, err = s.svc.Indicators.Add(rq.ctx, rq.scope, in)
	}
	if formError(err) {
		return s.showCustomForm(rq, title, specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/indicators?indicator=" + out.Code)
}

// compareView sets parks side by side: one row per indicator, one column per park.
type compareView struct {
	Year    int
	Options []option
	Chosen  map[string]bool
	Parks   []string
	Rows    []compareRow
}

type compareRow struct {
	Code, Name, Unit string
	Values           []string
}

// comparePage compares the parks picked (2–6) on every indicator of a year.
func (s *Server) comparePage(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	year := q.Int("year")
	if err := q.Err(); err != nil {
		return err
	}
	if year == 0 {
		year = s.svc.Indicators.DefaultYear()
	}
	if year < 2000 || year > 2100 {
		var f apperr.Fields
		f.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
		return f.Err()
	}
	opts, err := rq.parkOptions("", false)
	if err != nil {
		return err
	}
	v := compareView{Year: year, Options: opts, Chosen: map[string]bool{}}
	picked := rq.r.URL.Query()["park_id"]
	if len(picked) > 6 {
		picked = picked[:6]
	}
	for i, id := range picked {
		pf, err := s.svc.Indicators.ParkFigures(rq.ctx, rq.scope, id, year)
		if err != nil {
			return err
		}
		v.Chosen[id] = true
		v.Parks = append(v.Parks, pf.Park.Name)
		for j, f := range pf.Figures {
			if i == 0 {
				v.Rows = append(v.Rows, compareRow{Code: f.Indicator.Code, Name: rq.pick(f.Indicator.NameZh, f.Indicator.NameEn), Unit: f.Indicator.Unit})
			}
			text := "—"
			switch {
			case f.Indicator.GrowthOf != "" && f.Growth != nil && f.Growth.Known:
				text = percent(f.Growth.Rate)
			case f.Indicator.GrowthOf == "" && f.Value.Known:
				text = num(f.Value.Value)
			}
			v.Rows[j].Values = append(v.Rows[j].Values, text)
		}
	}
	s.render(rq, "compare", rq.t("indicators.compare"), v)
	return nil
}

// indicatorRow is one park's value of the indicator shown, formatted.
type indicatorRow struct {
	ParkID, Park, Value, Coverage, Rule, Growth string
	Known                                       bool
}

type indicatorsView struct {
	// Park, when one is asked for, shows every indicator of that park instead of one across parks.
	Park     *indicator.ParkFacts
	ParkData indicator.ParkData
	CanSteer bool
	CanAttr  bool
	Error    string
	ParkRows []parkIndicatorRow
	Firms    []firmRow
	Catalog  []indicator.Indicator
	Selected indicator.Indicator
	Year     int
	Quarter  int // 1–4 when one quarter's values are shown
	Quarters []int
	// GroupName is the group shown (as ParseGroup reads it); Groups are the ones offered.
	GroupName string
	Groups    []option
	CanAdd    bool
	Group     indicatorRow
	// GrowthTotal and GrowthMean are the group's growth in its two named forms.
	GrowthTotal, GrowthMean string
	Rows                    []indicatorRow
}

// indicatorsPage shows the catalog and one indicator (revenue unless asked) for a year across
// the parks the user may see, and for them as a group, each value with its coverage and rule.
func (s *Server) indicatorsPage(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	year := q.Int("year")
	if err := q.Err(); err != nil {
		return err
	}
	if year == 0 {
		year = s.svc.Indicators.DefaultYear()
	}
	if parkID := q.Str("park_id"); parkID != "" {
		return s.parkIndicators(rq, parkID, year)
	}
	g, err := indicator.ParseGroup("group", q.Str("group"))
	if err != nil {
		return err
	}
	quarter := q.Int("quarter")
	if err := q.Err(); err != nil {
		return err
	}
	var t indicator.Table
	if q.Str("quarter") != "" {
		t, err = s.svc.Indicators.QuarterTable(rq.ctx, rq.scope, q.Str("indicator"), year, quarter, g)
	} else {
		t, err = s.svc.Indicators.Table(rq.ctx, rq.scope, q.Str("indicator"), year, g)
	}
	if err != nil {
		return err
	}
	catalog, err := s.svc.Indicators.Catalog(rq.ctx)
	if err != nil {
		return err
	}
	v := indicatorsView{Catalog: catalog, Selected: t.Indicator, Year: year, Quarter: quarter, Quarters: []int{1, 2, 3, 4},
		Group: rq.indicatorRow(t.Indicator, t.Total, nil), GroupName: g.String(), Groups: rq.groupOptions(year), CanAdd: rq.canSteer()}
	v.Group.Park = rq.t("indicators.group")
	if t.GrowthTotal != nil {
		v.GrowthTotal, v.GrowthMean = rq.growthText(t.GrowthTotal), rq.growthText(t.GrowthMean)
	}
	for _, p := range t.Parks {
		row := rq.indicatorRow(t.Indicator, p.Value, p.Growth)
		row.ParkID, row.Park = p.Park.ParkID, p.Park.Name
		v.Rows = append(v.Rows, row)
	}
	s.render(rq, "indicators", rq.t("indicators.title"), v)
	return nil
}

func (rq *request) indicatorRow(ind indicator.Indicator, v indicator.Value, g *indicator.Growth) indicatorRow {
	row := indicatorRow{Known: v.Known, Value: "—"}
	value := v
	if ind.GrowthOf != "" && g != nil {
		value = g.To
		row.Known = g.Known
	}
	switch {
	case ind.GrowthOf != "" && g != nil && g.Known:
		row.Value = percent(g.Rate)
	case ind.GrowthOf == "" && v.Known:
		row.Value = strconv.FormatFloat(v.Value, 'f', 2, 64) + " " + ind.Unit
	}
	if !row.Known {
		row.Value = rq.t("indicators.missing")
	}
	switch c := value.Coverage; {
	case c.ParkLevel:
		row.Coverage = rq.t("indicators.park_level")
	default:
		row.Coverage = rq.t("indicators.covers_"+c.Of, c.Covered, c.Expected)
	}
	row.Rule = value.RuleZh
	if rq.lang == "en" {
		row.Rule = value.RuleEn
	}
	if g != nil && ind.GrowthOf == "" {
		row.Growth = rq.growthText(g)
	}
	return row
}

func (rq *request) growthText(g *indicator.Growth) string {
	name := g.NameZh
	if rq.lang == "en" {
		name = g.NameEn
	}
	if !g.Known {
		return name + "：" + rq.t("indicators.missing")
	}
	return name + "：" + percent(g.Rate)
}

// percent writes a rate (0.28) as 28.00 %; a rate that rounds to zero is 0.00 %, never -0.00 %.
func percent(r float64) string {
	if math.Abs(r) < 0.00005 {
		r = 0
	}
	return strconv.FormatFloat(r*100, 'f', 2, 64) + " %"
}

// parkIndicatorRow is one indicator of a park, formatted.
type parkIndicatorRow struct {
	indicatorRow
	Code, Name, LikeForLike string
}

// parkIndicators shows every indicator of one park for a year: value, coverage, YoY on totals
// and like-for-like, and how each was computed.
func (s *Server) parkIndicators(rq *request, parkID string, year int) error {
	return s.showParkIndicators(rq, parkID, year, nil)
}

func (s *Server) showParkIndicators(rq *request, parkID string, year int, failure error) error {
	pf, err := s.svc.Indicators.ParkFigures(rq.ctx, rq.scope, parkID, year)
	if err != nil {
		return err
	}
	catalog, err := s.svc.Indicators.Catalog(rq.ctx)
	if err != nil {
		return err
	}
	v := indicatorsView{Park: &pf.Park, Year: year, Catalog: catalog, CanSteer: rq.canSteer(),
		CanAttr: rq.canSteer() || rq.scope.CanEditSpace()}
	if v.ParkData, err = s.svc.Indicators.ParkData(rq.ctx, rq.scope, parkID); err != nil {
		return err
	}
	for _, f := range pf.Figures {
		g := f.Growth
		if g == nil {
			g = f.YoY
		}
		row := parkIndicatorRow{indicatorRow: rq.indicatorRow(f.Indicator, f.Value, g), Code: f.Indicator.Code,
			Name: rq.pick(f.Indicator.NameZh, f.Indicator.NameEn)}
		if f.LikeForLike != nil {
			row.LikeForLike = rq.growthText(f.LikeForLike)
		}
		v.ParkRows = append(v.ParkRows, row)
	}
	for _, y := range pf.Enterprises {
		row := firmRow{ID: y.EnterpriseID, Name: y.Name, Complete: y.Complete, Revenue: "—", RD: "—", Employees: "—"}
		if r, ok := y.Figures["revenue"]; ok {
			row.Revenue = num(float64(r) / 1e6) // fen → 万元
		}
		if r, ok := y.Figures["rd_expense"]; ok {
			row.RD = num(float64(r) / 1e6)
		}
		if n, ok := y.Figures["employees"]; ok {
			row.Employees = strconv.FormatInt(n, 10)
		}
		v.Firms = append(v.Firms, row)
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	s.render(rq, "indicators", pf.Park.Name+" · "+rq.t("indicators.title"), v)
	return nil
}

// groupOptions are the groups of parks the indicator page offers.
func (rq *request) groupOptions(year int) []option {
	out := []option{{Value: "all", Label: rq.t("indicators.group_all")}, {Value: "pool", Label: rq.t("indicators.group_pool")}}
	for _, t := range pool.Tiers {
		out = append(out, option{Value: "tier:" + string(t), Label: rq.t("pool_tier." + string(t))})
	}
	return append(out, option{Value: "featured:" + strconv.Itoa(year), Label: rq.t("indicators.group_featured", year)})
}

// firmRow is one enterprise's year under a park's indicators, in 万元.
type firmRow struct {
	ID, Name, Revenue, RD, Employees string
	Complete                         bool
}

// parkSubmission records a park's own figures for a year from the form (amounts in 元).
func (s *Server) parkSubmission(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	parkID := rq.r.PathValue("id")
	specs := []fieldSpec{{Name: "year", Kind: "number"}}
	for _, key := range []string{"revenue", "rd_expense", "tax", "employees", "invention_patents_granted", "invention_patents_held"} {
		if strings.TrimSpace(first(vals, key)) != "" {
			kind := "number"
			if m, _ := stats.MeasureOf(key); m.Money {
				kind = "text" // 元 as a decimal string, as reports take it
			}
			specs = append(specs, fieldSpec{Name: "figures." + key, Kind: kind})
			vals["figures."+key] = vals[key]
		}
	}
	var in indicator.SubmissionInput
	if err = httpin.DecodeStrict(toJSON(specs, vals), &in); err == nil {
		_, err = s.svc.Indicators.Submit(rq.ctx, rq.scope, parkID, in)
	}
	return s.afterParkData(rq, parkID, in.Year, err)
}

// parkAttribute records a park attribute from a date.
func (s *Server) parkAttribute(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	parkID := rq.r.PathValue("id")
	var in indicator.AttributeInput
	err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "key"}, {Name: "value", Kind: "number"}, {Name: "effective_on", Kind: "date"}}, vals), &in)
	if err == nil {
		_, err = s.svc.Indicators.SetAttribute(rq.ctx, rq.scope, parkID, in)
	}
	return s.afterParkData(rq, parkID, in.EffectiveOn.Year(), err)
}

func (s *Server) afterParkData(rq *request, parkID string, year int, err error) error {
	if year < 2000 || year > 2100 {
		year = s.svc.Indicators.DefaultYear()
	}
	if formError(err) {
		return s.showParkIndicators(rq, parkID, year, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/indicators?park_id=" + parkID + "&year=" + strconv.Itoa(year))
}

// submissionsImport takes parks' own yearly figures from a workbook or CSV, all rows or none.
func (s *Server) submissionsImport(rq *request) error {
	if !rq.canSteer() {
		return apperr.ErrForbidden()
	}
	v := importView{Back: "/indicators", BackLabel: rq.t("indicators.title"), Help: rq.t("indicators.submissions_help"), Action: "/indicators/submissions"}
	return s.upload(rq, v, rq.t("indicators.submissions_import"), func(data []byte, check bool) (string, string, []sheet.Problem, error) {
		res, err := submissionbook.Import(rq.ctx, s.svc.Indicators, rq.scope, data, sheet.DefaultLimits, check)
		if res.Committed {
			return rq.t("indicators.submissions_done", res.Rows), "import-done", res.Problems, err
		}
		return rq.t("indicators.submissions_checked", res.Rows), "import-checked", res.Problems, err
	})
}
