package servicedesk

import (
	"context"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// Tally counts the tickets submitted in one month for one group (a park, a platform or a
// category). A clock has ended when its work was done or its due passed; it was met when the
// work was done by the due.
type Tally struct {
	Group string
	Name  string
	Month int // YYYYMM
	// Submitted, Resolved; SLAEnded: resolution clock ended; SLAMet: responded and resolved
	// on time; Rated and RatingSum: the ratings given.
	Submitted, Resolved, SLAEnded, SLAMet, Rated, RatingSum int
}

// TallyQuery is what a report counts: tickets of a kind submitted in the months From..To
// (YYYYMM), grouped by "park", "platform" or "category" (a demand's theme), as of Now.
type TallyQuery struct {
	Kind     Kind
	GroupBy  string
	ParkID   string
	From, To int
	Now      time.Time
}

// MonthOf is the month (YYYYMM) of an instant in Shanghai.
func MonthOf(t time.Time) int {
	t = t.In(civil.Shanghai)
	return t.Year()*100 + int(t.Month())
}

// ReportRow is one group's figures over the whole range.
type ReportRow struct {
	Key          string   `json:"key"`
	Name         string   `json:"name"`
	Volume       int      `json:"volume"`
	Resolved     int      `json:"resolved"`
	SLAEnded     int      `json:"sla_ended"`
	SLAMet       int      `json:"sla_met"`
	Compliance   *float64 `json:"sla_compliance,omitempty"` // SLAMet ÷ SLAEnded; none when no clock ended
	Ratings      int      `json:"ratings"`
	Satisfaction *float64 `json:"satisfaction,omitempty"` // mean rating 1–5; none when unrated
}

// TrendPoint is one month of the whole range.
type TrendPoint struct {
	Month        string   `json:"month"` // YYYY-MM
	Volume       int      `json:"volume"`
	Compliance   *float64 `json:"sla_compliance,omitempty"`
	Satisfaction *float64 `json:"satisfaction,omitempty"`
}

// Report is the service figures of a range of months by park, platform or category (§7; the
// authority reads demands by theme).
type Report struct {
	Kind  Kind         `json:"kind"`
	By    string       `json:"by"`
	From  string       `json:"from"` // first month, YYYY-MM
	To    string       `json:"to"`   // last month, YYYY-MM
	Rows  []ReportRow  `json:"rows"`
	Total ReportRow    `json:"total"`
	Trend []TrendPoint `json:"trend"`
}

// ReportQuery asks for a report: tickets of a kind submitted in the months from..to, by park or
// platform, of one park or all in scope.
type ReportQuery struct {
	Kind   Kind
	By     string
	ParkID string
	From   civil.Date
	To     civil.Date
}

// NewReportQuery is a report asked in words, with the defaults filled: requests, by platform,
// from January of this year to this month.
func NewReportQuery(kind, by, parkID string, from, to, today civil.Date) ReportQuery {
	q := ReportQuery{Kind: Kind(kind), By: by, ParkID: parkID, From: from, To: to}
	if q.Kind == "" {
		q.Kind = Request
	}
	if q.By == "" {
		q.By = "platform"
	}
	if q.From.IsZero() {
		q.From = civil.Of(today.Year(), 1, 1)
	}
	if q.To.IsZero() {
		q.To = today
	}
	return q
}

// maxReportMonths bounds a report's range: ten years of months.
const maxReportMonths = 120

func (r *ReportRow) add(t Tally) {
	r.Volume += t.Submitted
	r.Resolved += t.Resolved
	r.SLAEnded += t.SLAEnded
	r.SLAMet += t.SLAMet
	r.Ratings += t.Rated
	r.Satisfaction = addMean(r.Satisfaction, r.Ratings-t.Rated, t.RatingSum, t.Rated)
	r.Compliance = ratio(r.SLAMet, r.SLAEnded)
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}

// addMean folds sum/n into the mean of the n0 values before.
func addMean(mean *float64, n0, sum, n int) *float64 {
	if n == 0 {
		return mean
	}
	total := float64(sum)
	if mean != nil {
		total += *mean * float64(n0)
	}
	v := total / float64(n0+n)
	return &v
}

// Report is the service figures by park or platform over a range of months, with the monthly
// trend of the whole: volume, SLA compliance and satisfaction.
func (s *Service) Report(ctx context.Context, sc identity.Scope, q ReportQuery) (Report, error) {
	var f apperr.Fields
	if q.By != "park" && q.By != "platform" && q.By != "category" {
		f.Add("by", "unknown_value", "分组应为 park、platform 或 category", "by must be park, platform or category")
	}
	if q.Kind != Request && q.Kind != Demand {
		f.Add("kind", "unknown_value", "类型应为 request 或 demand", "kind must be request or demand")
	}
	first, last := civil.Of(q.From.Year(), q.From.Month(), 1), civil.Of(q.To.Year(), q.To.Month(), 1)
	months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	if months < 1 || months > maxReportMonths {
		f.Add("to", "out_of_range", "月份范围应为 1–120 个月，且止不早于起", "the range must be 1–120 months, ending no earlier than it starts")
	}
	if err := f.Err(); err != nil {
		return Report{}, err
	}
	if q.ParkID != "" && !sc.HasPark(q.ParkID) {
		return Report{}, apperr.ErrNotFound("园区", "park")
	}
	if !sc.AllParks() && !sc.Role.IsOperator() {
		return Report{}, apperr.ErrForbidden()
	}
	tallies, err := s.st.Tallies(ctx, sc, TallyQuery{Kind: q.Kind, GroupBy: q.By, ParkID: q.ParkID,
		From: first.Year()*100 + int(first.Month()), To: last.Year()*100 + int(last.Month()), Now: s.clock.Now()})
	if err != nil {
		return Report{}, err
	}
	rep := Report{Kind: q.Kind, By: q.By, From: first.String()[:7], To: last.String()[:7], Rows: []ReportRow{}, Trend: make([]TrendPoint, months)}
	trend := make([]ReportRow, months)
	for _, t := range tallies {
		i := slices.IndexFunc(rep.Rows, func(r ReportRow) bool { return r.Key == t.Group })
		if i < 0 {
			rep.Rows = append(rep.Rows, ReportRow{Key: t.Group, Name: t.Name})
			i = len(rep.Rows) - 1
		}
		rep.Rows[i].add(t)
		rep.Total.add(t)
		trend[(t.Month/100-first.Year())*12+t.Month%100-int(first.Month())].add(t)
	}
	rep.Total.Key = "total"
	for i := range trend {
		rep.Trend[i] = TrendPoint{Month: first.AddMonths(i).String()[:7], Volume: trend[i].Volume, Compliance: trend[i].Compliance, Satisfaction: trend[i].Satisfaction}
	}
	if q.By == "platform" {
		names := map[string]string{}
		for _, p := range DefaultPlatforms {
			names[p.Code] = p.NameZh + " / " + p.NameEn
		}
		for i := range rep.Rows {
			if n, ok := names[rep.Rows[i].Key]; ok {
				rep.Rows[i].Name = n
			}
		}
	}
	slices.SortFunc(rep.Rows, func(a, b ReportRow) int { return b.Volume - a.Volume })
	return rep, nil
}

// YearFigures are the request figures of each park in scope (or the one asked) in each year:
// volume, SLA clocks ended and met, ratings and their sum — the indicators of §6 read them.
func (s *Service) YearFigures(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][5]float64, error) {
	out := map[string]map[int][5]float64{}
	if len(years) == 0 {
		return out, nil
	}
	first, last := slices.Min(years), slices.Max(years)
	tallies, err := s.st.Tallies(ctx, sc, TallyQuery{Kind: Request, GroupBy: "park", ParkID: parkID, From: first*100 + 1, To: last*100 + 12, Now: s.clock.Now()})
	if err != nil {
		return nil, err
	}
	for _, t := range tallies {
		y := t.Month / 100
		if !slices.Contains(years, y) {
			continue
		}
		if out[t.Group] == nil {
			out[t.Group] = map[int][5]float64{}
		}
		v := out[t.Group][y]
		v[0] += float64(t.Submitted)
		v[1] += float64(t.SLAEnded)
		v[2] += float64(t.SLAMet)
		v[3] += float64(t.Rated)
		v[4] += float64(t.RatingSum)
		out[t.Group][y] = v
	}
	return out, nil
}
