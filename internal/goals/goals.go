// Package goals keeps the authority's and parks' plans (§6 goals, §6.1 rule 8): an indicator for
// a group of parks from a baseline to a target, measured against actuals — computed from the
// reports, or recorded from official statistics — with the required and remaining growth.
package goals

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
)

// Goal is a plan: an indicator of a group of parks from a baseline year's value to a target.
type Goal struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Indicator string `json:"indicator"`
	// Group is the parks the goal is for, written as indicator.ParseGroup reads it; ParkID is
	// set when that is one park, whose staff may read the goal.
	Group  string `json:"group"`
	ParkID string `json:"park_id,omitempty"`
	indicator.Goal
	Recorded  []Actual  `json:"recorded_actuals"`
	CreatedAt time.Time `json:"created_at"`
}

// Actual is a year's value of a goal's indicator: recorded by hand (official statistics) or
// computed from the approved reports, with its coverage.
type Actual struct {
	Year     int                 `json:"year"`
	Value    float64             `json:"value"`
	Source   string              `json:"source"` // recorded, computed
	Coverage *indicator.Coverage `json:"coverage,omitempty"`
}

// NewGoal is a goal to set.
type NewGoal struct {
	Name          string  `json:"name"`
	Indicator     string  `json:"indicator"`
	Group         string  `json:"group"`
	BaselineYear  int     `json:"baseline_year"`
	BaselineValue float64 `json:"baseline_value"`
	TargetYear    int     `json:"target_year"`
	TargetValue   float64 `json:"target_value"`
}

// RecordedActual records a year's actual value.
type RecordedActual struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

// Progress is a goal with its actuals (recorded where given, else computed) and rule 8's
// figures against the latest.
type Progress struct {
	Goal
	Actuals []Actual `json:"actuals"`
	indicator.Progress
}

// minValue and maxValue bound a goal's values so that every growth rate computed from them is
// a finite number (a 5e-324 baseline made the required growth infinite).
const minValue, maxValue = 1e-4, 1e15

func checkValue(f *apperr.Fields, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < minValue || v > maxValue {
		f.Add(field, "out_of_range", "数值应在 0.0001 到 10^15 之间", "the value must be between 0.0001 and 10^15")
	}
}

func checkYear(f *apperr.Fields, field string, y int) {
	if y < 2000 || y > 2100 {
		f.Add(field, "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
	}
}

// Validate checks a goal; the indicator must be in the catalog and not itself a growth rate.
func (n NewGoal) Validate(catalog func(code string) (indicator.Indicator, error)) (indicator.Group, error) {
	var f apperr.Fields
	switch l := utf8.RuneCountInString(strings.TrimSpace(n.Name)); {
	case l == 0:
		f.Required("name")
	case l > 200:
		f.Add("name", "too_long", "名称不超过 200 字", "a name is at most 200 characters")
	}
	if n.Indicator == "" {
		f.Required("indicator")
	} else if ind, err := catalog(n.Indicator); err != nil {
		f.Add("indicator", "unknown", "指标不存在："+n.Indicator, "no such indicator: "+n.Indicator)
	} else if ind.GrowthOf != "" {
		f.Add("indicator", "growth", "目标应针对数值指标（如营业收入），所需增速由系统计算", "a goal is set on a value (such as revenue); the growth it needs is computed")
	}
	g, gerr := indicator.ParseGroup("group", n.Group)
	if gerr != nil {
		e, _ := apperr.As(gerr)
		f = append(f, e.Fields...)
	}
	checkYear(&f, "baseline_year", n.BaselineYear)
	checkYear(&f, "target_year", n.TargetYear)
	if n.TargetYear <= n.BaselineYear && n.BaselineYear != 0 {
		f.Add("target_year", "before_baseline", "目标年份应晚于基期年份", "the target year must come after the baseline year")
	}
	checkValue(&f, "baseline_value", n.BaselineValue)
	checkValue(&f, "target_value", n.TargetValue)
	return g, f.Err()
}

// Validate checks a recorded actual against its goal's years.
func (r RecordedActual) Validate(g Goal) error {
	var f apperr.Fields
	if r.Year <= g.BaselineYear || r.Year > g.TargetYear {
		f.Add("year", "out_of_range", "实际值年份应在基期之后、目标年份及以前", "the year must be after the baseline and no later than the target year")
	}
	checkValue(&f, "value", r.Value)
	return f.Err()
}

// Store is what goals need of the data layer, in the caller's scope.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	ListGoals(ctx context.Context, sc identity.Scope) ([]Goal, error)
	GetGoal(ctx context.Context, sc identity.Scope, id string) (Goal, error)
	LockGoal(ctx context.Context, sc identity.Scope, id string) (Goal, error)
	// InsertGoal checks that every park the goal names is one the caller may see.
	InsertGoal(ctx context.Context, sc identity.Scope, g Goal) (Goal, error)
	SaveGoalActual(ctx context.Context, goalID string, a RecordedActual) error
	DeleteGoalRow(ctx context.Context, id string) error
}

// Indicators is what goals ask of the indicator engine.
type Indicators interface {
	Get(ctx context.Context, code string) (indicator.Indicator, error)
	Table(ctx context.Context, sc identity.Scope, code string, year int, g indicator.Group) (indicator.Table, error)
	DefaultYear() int
}

// Service keeps goals; the authority and administrators set them.
type Service struct {
	st  Store
	ind Indicators
}

// NewService builds the goal service.
func NewService(st Store, ind Indicators) *Service { return &Service{st: st, ind: ind} }

// List is the goals in the caller's scope.
func (s *Service) List(ctx context.Context, sc identity.Scope) ([]Goal, error) {
	return s.st.ListGoals(ctx, sc)
}

// Create sets a goal.
func (s *Service) Create(ctx context.Context, sc identity.Scope, n NewGoal) (Goal, error) {
	if !sc.May(identity.SteerParks) {
		return Goal{}, apperr.ErrForbidden()
	}
	g, err := n.Validate(func(code string) (indicator.Indicator, error) { return s.ind.Get(ctx, code) })
	if err != nil {
		return Goal{}, err
	}
	goal := Goal{Name: strings.TrimSpace(n.Name), Indicator: n.Indicator, Group: g.String(), Recorded: []Actual{},
		Goal: indicator.Goal{BaselineYear: n.BaselineYear, BaselineValue: n.BaselineValue, TargetYear: n.TargetYear, TargetValue: n.TargetValue}}
	if g.Kind == "parks" && len(g.Parks) == 1 {
		goal.ParkID = g.Parks[0]
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if goal, err = s.st.InsertGoal(ctx, sc, goal); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "goal", goal.ID, nil, goal)
	})
	return goal, err
}

// RecordActual records (or corrects) a year's actual value of a goal.
func (s *Service) RecordActual(ctx context.Context, sc identity.Scope, id string, a RecordedActual) (Goal, error) {
	var out Goal
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockGoal(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.May(identity.SteerParks) {
			return apperr.ErrForbidden()
		}
		if err := a.Validate(before); err != nil {
			return err
		}
		if err := s.st.SaveGoalActual(ctx, id, a); err != nil {
			return err
		}
		if out, err = s.st.LockGoal(ctx, sc, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "record_actual", "goal", id, before, out)
	})
	return out, err
}

// Delete removes a goal and its recorded actuals.
func (s *Service) Delete(ctx context.Context, sc identity.Scope, id string) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockGoal(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.May(identity.SteerParks) {
			return apperr.ErrForbidden()
		}
		if err := s.st.DeleteGoalRow(ctx, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "delete", "goal", id, before, nil)
	})
}

// Progress measures a goal: for each year after the baseline up to the target (and no later
// than the last whole year), the recorded actual or else the value computed from the reports;
// rule 8 against the latest of them.
func (s *Service) Progress(ctx context.Context, sc identity.Scope, id string) (Progress, error) {
	g, err := s.st.GetGoal(ctx, sc, id)
	if err != nil {
		return Progress{}, err
	}
	group, err := indicator.ParseGroup("group", g.Group)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{Goal: g, Actuals: []Actual{}}
	last := min(g.TargetYear, s.ind.DefaultYear())
	for y := g.BaselineYear + 1; y <= last; y++ {
		if i := slices.IndexFunc(g.Recorded, func(a Actual) bool { return a.Year == y }); i >= 0 {
			p.Actuals = append(p.Actuals, g.Recorded[i])
			continue
		}
		t, err := s.ind.Table(ctx, sc, g.Indicator, y, group)
		if err != nil {
			return Progress{}, err
		}
		if t.Total.Known {
			cov := t.Total.Coverage
			p.Actuals = append(p.Actuals, Actual{Year: y, Value: t.Total.Value, Source: "computed", Coverage: &cov})
		}
	}
	for _, a := range g.Recorded {
		if a.Year > last {
			p.Actuals = append(p.Actuals, a)
		}
	}
	slices.SortFunc(p.Actuals, func(a, b Actual) int { return a.Year - b.Year })
	latestYear, latest := 0, 0.0
	if n := len(p.Actuals); n > 0 {
		latestYear, latest = p.Actuals[n-1].Year, p.Actuals[n-1].Value
	}
	p.Progress = g.Measure(latestYear, latest)
	return p, nil
}
