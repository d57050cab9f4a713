package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/indicator"
)

func (s *Server) cockpitRoutes(mux *http.ServeMux) {
	mux.Handle("GET /cockpit", s.listPage(s.cockpitPage))
	mux.Handle("GET /cockpit/export/{format}", s.page(s.cockpitExport))
}

// headlineCard is one headline indicator as the cockpit shows it.
type headlineCard struct {
	Code, Name, Unit                       string
	Featured, Rest, All, OverRest, OverAll string
}

type cockpitRow struct {
	ParkID, Park, District, Tier string
	Values                       []string
}

type cockpitView struct {
	O         indicator.Overview
	Cards     []headlineCard
	Heads     []string
	Rows      []cockpitRow
	Trend     [][3]string
	ChartData template.JS
}

func (rq *request) overview() (indicator.Overview, error) {
	q := httpin.NewQuery(rq.r.URL.Query())
	year := q.Int("year")
	if err := q.Err(); err != nil {
		return indicator.Overview{}, err
	}
	if year == 0 {
		year = rq.srv.svc.Indicators.DefaultYear()
	}
	return rq.srv.svc.Indicators.Overview(rq.ctx, rq.scope, year)
}

func valueText(v indicator.Value) string {
	if !v.Known {
		return "—"
	}
	return num(v.Value)
}

func multipleText(v indicator.Value) string {
	if !v.Known {
		return "—"
	}
	return num(v.Value) + "×"
}

// cockpitPage is the authority's 驾驶舱: the headline indicators of the featured parks against
// the rest, tiers, five years of trend, districts, and every park's headline values, each chart
// with its table.
func (s *Server) cockpitPage(rq *request) error {
	o, err := rq.overview()
	if err != nil {
		return err
	}
	v := cockpitView{O: o}
	for _, h := range o.Headlines {
		v.Cards = append(v.Cards, headlineCard{Code: h.Indicator.Code, Name: rq.pick(h.Indicator.NameZh, h.Indicator.NameEn), Unit: h.Indicator.Unit,
			Featured: valueText(h.Featured), Rest: valueText(h.Rest), All: valueText(h.All), OverRest: multipleText(h.OverRest), OverAll: multipleText(h.OverAll)})
		v.Heads = append(v.Heads, rq.pick(h.Indicator.NameZh, h.Indicator.NameEn)+"（"+h.Indicator.Unit+"）")
	}
	parks := slices.Clone(o.Parks)
	slices.SortStableFunc(parks, func(a, b indicator.ParkSummary) int {
		x, y := a.Values["land_output"], b.Values["land_output"]
		switch {
		case x.Known != y.Known:
			if x.Known {
				return -1
			}
			return 1
		case x.Value > y.Value:
			return -1
		case x.Value < y.Value:
			return 1
		}
		return 0
	})
	chart := struct {
		Years   []int     `json:"years"`
		Revenue []any     `json:"revenue"`
		Parks   []string  `json:"parks"`
		Land    []any     `json:"land"`
		Labels  [2]string `json:"labels"`
	}{Labels: [2]string{rq.t("cockpit.revenue_trend"), rq.t("cockpit.land_output")}}
	for _, p := range parks {
		row := cockpitRow{ParkID: p.Park.ParkID, Park: p.Park.Name, District: p.Park.District}
		if p.Park.Tier != "" {
			row.Tier = rq.t("pool_tier." + p.Park.Tier)
		}
		for _, code := range indicator.Headlines {
			row.Values = append(row.Values, valueText(p.Values[code]))
		}
		v.Rows = append(v.Rows, row)
		chart.Parks = append(chart.Parks, p.Park.Name)
		if lo := p.Values["land_output"]; lo.Known {
			chart.Land = append(chart.Land, round2(lo.Value))
		} else {
			chart.Land = append(chart.Land, nil)
		}
	}
	for _, t := range o.Trend {
		v.Trend = append(v.Trend, [3]string{strconv.Itoa(t.Year), valueText(t.Revenue), valueText(t.RDIntensity)})
		chart.Years = append(chart.Years, t.Year)
		if t.Revenue.Known {
			chart.Revenue = append(chart.Revenue, round2(t.Revenue.Value))
		} else {
			chart.Revenue = append(chart.Revenue, nil)
		}
	}
	data, _ := json.Marshal(chart)
	v.ChartData = template.JS(data)
	rq.charts = true
	s.render(rq, "cockpit", rq.t("cockpit.title"), v)
	return nil
}

// cockpitExport downloads every park's headline values.
func (s *Server) cockpitExport(rq *request) error {
	format := rq.r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return errNotFound
	}
	o, err := rq.overview()
	if err != nil {
		return err
	}
	t := export.Table{Title: rq.t("cockpit.title") + " " + strconv.Itoa(o.Year),
		Columns: []export.Column{{Header: rq.t("pool.park"), Kind: export.Text}, {Header: rq.t("pool.district"), Kind: export.Text}, {Header: rq.t("pool.tier"), Kind: export.Text}}}
	for _, h := range o.Headlines {
		t.Columns = append(t.Columns, export.Column{Header: rq.pick(h.Indicator.NameZh, h.Indicator.NameEn) + "（" + h.Indicator.Unit + "）", Kind: export.Text})
	}
	for _, p := range o.Parks {
		tier := ""
		if p.Park.Tier != "" {
			tier = rq.t("pool_tier." + p.Park.Tier)
		}
		row := []any{p.Park.Name, p.Park.District, tier}
		for _, code := range indicator.Headlines {
			row = append(row, valueText(p.Values[code]))
		}
		t.Rows = append(t.Rows, row)
	}
	return writeTable(rq, "cockpit-"+strconv.Itoa(o.Year), format, t)
}
