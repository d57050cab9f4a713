package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"github.com/parkos/parkos/internal/export"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
)

// echartsAsset is Apache ECharts from npm, copied by `make assets`; without it the dashboard
// still shows every figure in its tables.
const echartsAsset = "vendor/echarts.min.js"

type monthRow struct {
	Month                                   string
	Occupancy, Absorption, Committed, Total string
	NetAbsorption                           string
	Forecast                                bool
}

type bucketRow struct {
	Label string
	Area  string
}

type dashboardView struct {
	ParkID, Park string
	Today        leasing.Figures
	Rates        map[string]string
	Targets      []targetRow
	Months       []monthRow
	Vacancy      []bucketRow
	Expiries     []bucketRow
	ChartData    template.JS // JSON for the charts, placed in a non-executable data island
	CanTarget    bool
	Metrics      []option
	Error        string
	Filters      []field
	Query        string // building_id / kind filters, carried into the export links
}

// dashboardFilter reads the optional building and unit kind the dashboard is narrowed to.
func dashboardFilter(rq *request) leasing.OccupancyFilter {
	q := rq.r.URL.Query()
	return leasing.OccupancyFilter{ParkID: rq.r.PathValue("id"), BuildingID: q.Get("building_id"), Kind: q.Get("kind")}
}

// vacancyBuckets are the vacant-area bands of §4 with their catalog keys.
func vacancyBuckets(f leasing.Figures) ([]msgKey, []measure.Area) {
	return []msgKey{k("dashboard.vacant_90"), k("dashboard.vacant_180"), k("dashboard.vacant_365"), k("dashboard.vacant_more")},
		[]measure.Area{f.VacantUpTo90Days, f.Vacant91To180Days, f.Vacant181To365Days, f.VacantOver365Days}
}

type targetRow struct {
	T      leasing.Target
	Goal   string
	Value  string
	Status string
	Class  string
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

// dashboard is the park's 去化 dashboard: today's figures, targets with their status, 24 months
// of history and 12 months of forecast, vacancy by duration and the expiry profile.
func (s *Server) dashboard(rq *request) error {
	return s.showDashboard(rq, "")
}

func (s *Server) showDashboard(rq *request, problem string) error {
	parkID, filter := rq.r.PathValue("id"), dashboardFilter(rq)
	ov, err := s.svc.Leasing.Overview(rq.ctx, rq.scope, filter, 24, 12)
	if err != nil {
		return err
	}
	targets, err := s.svc.Leasing.Targets(rq.ctx, rq.scope, parkID)
	if err != nil {
		return err
	}
	v := dashboardView{ParkID: parkID, Park: rq.parkName(parkID), Today: ov.Today,
		CanTarget: rq.scope.CanEditSpace(), Error: problem, Metrics: enumOptions(rq, "target_metric", leasing.TargetMetrics, "")}
	buildings, err := rq.buildingOptions(parkID)
	if err != nil {
		return err
	}
	v.Filters = rq.fields([]fieldSpec{
		{Name: "building_id", Label: k("unit.building"), Kind: "select", Options: buildings},
		{Name: "kind", Label: k("unit.kind"), Kind: "select", Options: enumOptions(rq, "unit_kind", space.UnitKinds, k("filter.all"))},
	}, values(rq.r.URL.Query()))
	v.Query = rq.r.URL.Query().Encode()
	v.Rates = map[string]string{"occupancy": pct(v.Today.OccupancyRate), "absorption": pct(v.Today.AbsorptionRate),
		"committed": pct(v.Today.CommittedRate), "units": pct(v.Today.UnitOccupancyRate), "wale": fmt.Sprintf("%.2f", v.Today.WALEYears)}
	chart := map[string]any{}
	var months []string
	var occ, abs, com, fc []any
	for _, p := range ov.History {
		months = append(months, p.Month)
		occ, abs, com, fc = append(occ, rate(p.Figures.OccupancyRate)), append(abs, rate(p.Figures.AbsorptionRate)), append(com, rate(p.Figures.CommittedRate)), append(fc, nil)
		v.Months = append(v.Months, monthRow{Month: p.Month, Occupancy: pct(p.Figures.OccupancyRate), Absorption: pct(p.Figures.AbsorptionRate),
			Committed: pct(p.Figures.CommittedRate), NetAbsorption: i18n.Area(rq.lang, p.NetAbsorption)})
	}
	for _, p := range ov.Forecast {
		f := p.Figures
		months = append(months, p.Month)
		occ, abs, com, fc = append(occ, nil), append(abs, nil), append(com, nil), append(fc, rate(f.OccupancyRate))
		v.Months = append(v.Months, monthRow{Month: p.Month, Occupancy: pct(f.OccupancyRate), Absorption: pct(f.AbsorptionRate),
			Committed: pct(f.CommittedRate), Forecast: true})
	}
	chart["months"], chart["occupancy"], chart["absorption"], chart["committed"], chart["forecast"] = months, occ, abs, com, fc
	chart["labels"] = map[string]string{"occupancy": rq.t("dashboard.occupancy"), "absorption": rq.t("dashboard.absorption"),
		"committed": rq.t("dashboard.committed"), "forecast": rq.t("dashboard.forecast"), "target": rq.t("dashboard.target"),
		"vacancy": rq.t("dashboard.vacancy"), "expiries": rq.t("dashboard.expiries")}
	var targetPoints []any
	for _, t := range targets {
		class := map[string]string{"met": "ok", "on_track": "ok", "behind": "warn", "missed": "bad"}[t.Status]
		v.Targets = append(v.Targets, targetRow{T: t, Goal: pct(float64(t.BasisPoints) / 10000), Value: pct(t.Value),
			Status: rq.t("target_status." + t.Status), Class: class})
		targetPoints = append(targetPoints, []any{t.ByDate.String()[:7], rate(float64(t.BasisPoints) / 10000), rq.t("target_metric." + t.Metric)})
	}
	chart["targets"] = targetPoints
	keys, areas := vacancyBuckets(v.Today)
	var vl []string
	var va []any
	for i, key := range keys {
		v.Vacancy = append(v.Vacancy, bucketRow{Label: rq.t(string(key)), Area: i18n.Area(rq.lang, areas[i])})
		vl, va = append(vl, rq.t(string(key))), append(va, areas[i].String())
	}
	chart["vacancyLabels"], chart["vacancy"] = vl, va
	var months2 []string
	var ea []any
	for _, m := range ov.Expiries {
		v.Expiries = append(v.Expiries, bucketRow{Label: m.Month, Area: i18n.Area(rq.lang, m.Area)})
		months2, ea = append(months2, m.Month), append(ea, m.Area.String())
	}
	chart["expiryMonths"], chart["expiries"] = months2, ea
	b, err := json.Marshal(chart)
	if err != nil {
		return err
	}
	v.ChartData = template.JS(b)
	rq.charts = true
	s.render(rq, "dashboard", rq.t("dashboard.title", v.Park), v)
	return nil
}

// rate is a fraction as a percentage with one decimal, for the charts.
func rate(x float64) float64 { return float64(int(x*1000+0.5)) / 10 }

// dashboardExport downloads one of the dashboard's tables: the monthly series (ten years), the
// vacancy bands or the expiry profile.
func (s *Server) dashboardExport(rq *request) error {
	format, table := rq.r.PathValue("format"), rq.r.PathValue("table")
	if format != "csv" && format != "xlsx" {
		return errNotFound
	}
	filter, today := dashboardFilter(rq), s.clock.Today()
	switch table {
	case "vacancy":
		figures, err := s.svc.Leasing.Occupancy(rq.ctx, rq.scope, filter, today)
		if err != nil {
			return err
		}
		keys, areas := vacancyBuckets(figures)
		t := export.Table{Title: rq.t("dashboard.vacancy"), Columns: []export.Column{{Header: rq.t("dashboard.vacancy")},
			{Header: rq.t("dashboard.area_m2"), Kind: export.Area}}, Sums: []export.Sum{{Label: rq.t("rentroll.total"), Of: []int{1}}}}
		for i, key := range keys {
			t.Rows = append(t.Rows, []any{rq.t(string(key)), areas[i]})
		}
		return writeTable(rq, "vacancy", format, t)
	case "expiries":
		expiries, err := s.svc.Leasing.ExpiryProfile(rq.ctx, rq.scope, filter)
		if err != nil {
			return err
		}
		t := export.Table{Title: rq.t("dashboard.expiries"), Columns: []export.Column{{Header: rq.t("dashboard.month")},
			{Header: rq.t("dashboard.area_m2"), Kind: export.Area}}, Sums: []export.Sum{{Label: rq.t("rentroll.total"), Of: []int{1}}}}
		for _, m := range expiries {
			t.Rows = append(t.Rows, []any{m.Month, m.Area})
		}
		return writeTable(rq, "expiries", format, t)
	case "series":
	default:
		return errNotFound
	}
	series, err := s.svc.Leasing.OccupancySeries(rq.ctx, rq.scope, filter, today.AddMonths(-119), today)
	if err != nil {
		return err
	}
	t := export.Table{Title: rq.t("dashboard.series"), Columns: []export.Column{{Header: rq.t("dashboard.month")},
		{Header: rq.t("dashboard.occupancy"), Kind: export.Percent}, {Header: rq.t("dashboard.committed"), Kind: export.Percent},
		{Header: rq.t("dashboard.absorption"), Kind: export.Percent}, {Header: rq.t("dashboard.leasable_area"), Kind: export.Area},
		{Header: rq.t("dashboard.leased_area"), Kind: export.Area}, {Header: rq.t("dashboard.net_absorption"), Kind: export.Area},
		{Header: rq.t("dashboard.wale"), Kind: export.Decimal}}}
	for _, p := range series {
		f := p.Figures
		t.Rows = append(t.Rows, []any{p.Month, f.OccupancyRate, f.CommittedRate, f.AbsorptionRate, f.LeasableArea,
			f.LeasedArea, p.NetAbsorption, f.WALEYears})
	}
	return writeTable(rq, "occupancy", format, t)
}

// targetAction adds or deletes a target from the dashboard.
func (s *Server) targetAction(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	parkID := rq.r.PathValue("id")
	if id := first(vals, "delete"); id != "" {
		err = s.svc.Leasing.DeleteTarget(rq.ctx, rq.scope, id)
	} else {
		t := leasing.Target{ParkID: parkID, Metric: first(vals, "metric"), Note: first(vals, "note")}
		var f apperr.Fields
		if p, perr := measure.ParseDecimal2(first(vals, "percent")); perr != nil {
			f.Add("percent", "bad_percent", "目标应为最多两位小数的百分数", "the target must be a percentage with at most two decimals")
		} else {
			t.BasisPoints = int(p)
		}
		if t.ByDate, err = civil.Parse(first(vals, "by_date")); err != nil {
			f.Add("by_date", "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		if err = f.Err(); err == nil {
			_, err = s.svc.Leasing.CreateTarget(rq.ctx, rq.scope, t)
		}
	}
	if err == nil {
		return rq.redirect("/parks/" + parkID + "/dashboard")
	}
	if !formError(err) {
		return err
	}
	rq.w.WriteHeader(httpx.StatusOf(err))
	return s.showDashboard(rq, joinMessages(rq.applyErrors(nil, err)))
}

func joinMessages(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "；"
		}
		out += x
	}
	return out
}

func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	mux.Handle("GET /parks/{id}/dashboard", s.page(s.dashboard))
	mux.Handle("GET /parks/{id}/dashboard/{table}/{format}", s.page(s.dashboardExport))
	mux.Handle("POST /parks/{id}/targets", s.page(s.targetAction))
}
