package web

import (
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"strconv"

	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/httpin"
)

func (s *Server) goalRoutes(mux *http.ServeMux) {
	mux.Handle("GET /goals", s.listPage(s.goalsPage))
	mux.Handle("GET /goals/new", s.page(s.goalForm))
	mux.Handle("POST /goals/new", s.page(s.goalForm))
	mux.Handle("GET /goals/{id}", s.page(s.goalPage))
	mux.Handle("POST /goals/{id}/actuals", s.page(s.goalActual))
	mux.Handle("POST /goals/{id}/delete", s.page(s.goalDelete))
}

// goalRow is a goal as the list shows it.
type goalRow struct {
	G         goals.Goal
	Indicator string
	Required  string
}

func (s *Server) goalsPage(rq *request) error {
	list, err := s.svc.Goals.List(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	rows := make([]goalRow, len(list))
	for i, g := range list {
		rows[i] = goalRow{G: g, Indicator: rq.indicatorName(g.Indicator), Required: percent(g.RequiredCAGR())}
	}
	s.render(rq, "goals", rq.t("goals.title"), struct {
		Rows     []goalRow
		CanSteer bool
	}{rows, rq.canSteer()})
	return nil
}

func (rq *request) indicatorName(code string) string {
	ind, err := rq.srv.svc.Indicators.Get(rq.ctx, code)
	if err != nil {
		return code
	}
	return rq.pick(ind.NameZh, ind.NameEn) + "（" + ind.Unit + "）"
}

func (s *Server) goalForm(rq *request) error {
	catalog, err := s.svc.Indicators.Catalog(rq.ctx)
	if err != nil {
		return err
	}
	var inds []option
	for _, ind := range catalog {
		if ind.GrowthOf == "" {
			inds = append(inds, option{Value: ind.Code, Label: rq.pick(ind.NameZh, ind.NameEn) + "（" + ind.Unit + "）"})
		}
	}
	specs := []fieldSpec{
		{Name: "name", Label: k("goals.name"), Kind: "text", Required: true},
		{Name: "indicator", Label: k("indicators.indicator"), Kind: "select", Required: true, Options: inds},
		{Name: "group", Label: k("indicators.parks_of"), Kind: "text", Help: k("goals.group_help")},
		{Name: "baseline_year", Label: k("goals.baseline_year"), Kind: "number", Required: true},
		{Name: "baseline_value", Label: k("goals.baseline_value"), Kind: "number", Required: true},
		{Name: "target_year", Label: k("goals.target_year"), Kind: "number", Required: true},
		{Name: "target_value", Label: k("goals.target_value"), Kind: "number", Required: true},
	}
	crumbs := []crumb{{rq.t("goals.title"), "/goals"}}
	if rq.r.Method == http.MethodGet {
		y := s.clock.Today().Year()
		return s.showCustomForm(rq, rq.t("goals.new"), specs, values{"group": {"all"}, "indicator": {"revenue"},
			"baseline_year": {strconv.Itoa(y - 1)}, "target_year": {strconv.Itoa(y + 4)}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var in goals.NewGoal
	var g goals.Goal
	err = httpin.DecodeStrict(toJSON(specs, vals), &in)
	if err == nil {
		g, err = s.svc.Goals.Create(rq.ctx, rq.scope, in)
	}
	if formError(err) {
		return s.showCustomForm(rq, rq.t("goals.new"), specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/goals/" + g.ID)
}

// goalYear is one year of a goal's page: the required path and the actual.
type goalYear struct {
	Year                       int
	Path, Actual, Source, Note string
}

type goalView struct {
	P                           goals.Progress
	Indicator, Required, Remain string
	Latest                      string
	Years                       []goalYear
	ChartData                   template.JS
	CanSteer                    bool
	Error                       string
}

func (s *Server) goalPage(rq *request) error { return s.showGoal(rq, nil) }

func (s *Server) showGoal(rq *request, failure error) error {
	p, err := s.svc.Goals.Progress(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := goalView{P: p, Indicator: rq.indicatorName(p.Indicator), Required: percent(p.RequiredCAGR), CanSteer: rq.canSteer(), Latest: "—"}
	if p.HasActual {
		v.Latest = strconv.Itoa(p.ActualYear) + "：" + num(p.Actual)
		if p.ActualYear < p.TargetYear {
			v.Remain = percent(p.RemainingCAGR)
		}
	}
	actual := map[int]goals.Actual{}
	for _, a := range p.Actuals {
		actual[a.Year] = a
	}
	chart := struct {
		Years       []int  `json:"years"`
		PathJSON    []any  `json:"path"`
		ActualJSON  []any  `json:"actual"`
		PathLabel   string `json:"pathLabel"`
		ActualLabel string `json:"actualLabel"`
	}{PathLabel: rq.t("goals.path"), ActualLabel: rq.t("goals.actual")}
	for y := p.BaselineYear; y <= p.TargetYear; y++ {
		row := goalYear{Year: y, Path: num(p.Path[y]), Actual: "—"}
		chart.Years, chart.PathJSON = append(chart.Years, y), append(chart.PathJSON, round2(p.Path[y]))
		switch a, ok := actual[y]; {
		case y == p.BaselineYear:
			row.Actual, row.Source = num(p.BaselineValue), rq.t("goals.baseline")
			chart.ActualJSON = append(chart.ActualJSON, round2(p.BaselineValue))
		case ok:
			row.Actual, row.Source = num(a.Value), rq.t("goals.source_"+a.Source)
			if a.Coverage != nil {
				row.Note = rq.t("indicators.covers_"+a.Coverage.Of, a.Coverage.Covered, a.Coverage.Expected)
			}
			chart.ActualJSON = append(chart.ActualJSON, round2(a.Value))
		default:
			chart.ActualJSON = append(chart.ActualJSON, nil)
		}
		v.Years = append(v.Years, row)
	}
	data, _ := json.Marshal(chart)
	v.ChartData = template.JS(data)
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	rq.charts = true
	s.render(rq, "goal", p.Name, v)
	return nil
}

// num writes a figure with two decimals; one that rounds to zero is 0.00, never -0.00.
func num(x float64) string {
	if math.Abs(x) < 0.005 {
		x = 0
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

func round2(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

func (s *Server) goalActual(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var a goals.RecordedActual
	err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "year", Kind: "number"}, {Name: "value", Kind: "number"}}, vals), &a)
	if err == nil {
		_, err = s.svc.Goals.RecordActual(rq.ctx, rq.scope, rq.r.PathValue("id"), a)
	}
	if formError(err) {
		return s.showGoal(rq, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/goals/" + rq.r.PathValue("id"))
}

func (s *Server) goalDelete(rq *request) error {
	if err := s.svc.Goals.Delete(rq.ctx, rq.scope, rq.r.PathValue("id")); err != nil {
		return err
	}
	return rq.redirect("/goals")
}
