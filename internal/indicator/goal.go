package indicator

import "math"

// Goal is a plan for a metric (rule 8): from a baseline to a target.
type Goal struct {
	BaselineYear  int     `json:"baseline_year"`
	BaselineValue float64 `json:"baseline_value"`
	TargetYear    int     `json:"target_year"`
	TargetValue   float64 `json:"target_value"`
}

// Progress is a goal measured against its latest actual.
type Progress struct {
	RequiredCAGR float64 `json:"required_cagr"`
	// With an actual: its year and value, the path's value for that year, whether it is on
	// track, and the growth needed each year from then on.
	HasActual     bool    `json:"has_actual"`
	ActualYear    int     `json:"actual_year,omitempty"`
	Actual        float64 `json:"actual,omitempty"`
	PathValue     float64 `json:"path_value,omitempty"`
	OnTrack       bool    `json:"on_track"`
	RemainingCAGR float64 `json:"remaining_cagr,omitempty"`
	// Path is the required value for each year from the baseline to the target.
	Path map[int]float64 `json:"path"`
}

// Validate names the field that makes a goal unusable; ok is false when there is one.
func (g Goal) Validate() (field string, ok bool) {
	switch {
	case g.BaselineValue <= 0:
		return "baseline_value", false
	case g.TargetValue <= 0:
		return "target_value", false
	case g.TargetYear <= g.BaselineYear:
		return "target_year", false
	}
	return "", true
}

// RequiredCAGR = (target ÷ baseline)^(1/(target year − baseline year)) − 1.
func (g Goal) RequiredCAGR() float64 {
	return math.Pow(g.TargetValue/g.BaselineValue, 1/float64(g.TargetYear-g.BaselineYear)) - 1
}

// Measure compares the latest actual (year y, value a) with the required path; y = 0 means no
// actual yet. On track when a ≥ baseline × (1 + required)^(y − baseline year) (≤ for a goal that
// aims down); the remaining
// required CAGR = (target ÷ a)^(1/(target year − y)) − 1.
func (g Goal) Measure(y int, a float64) Progress {
	r := g.RequiredCAGR()
	p := Progress{RequiredCAGR: r, Path: map[int]float64{}}
	for year := g.BaselineYear; year <= g.TargetYear; year++ {
		p.Path[year] = g.BaselineValue * math.Pow(1+r, float64(year-g.BaselineYear))
	}
	if y == 0 || y < g.BaselineYear {
		return p
	}
	p.HasActual, p.ActualYear, p.Actual = true, y, a
	p.PathValue = g.BaselineValue * math.Pow(1+r, float64(y-g.BaselineYear))
	// A goal may aim down (lower costs, say): then on track means at or below the path.
	if g.TargetValue < g.BaselineValue {
		p.OnTrack = a <= p.PathValue*(1+1e-12)
	} else {
		p.OnTrack = a >= p.PathValue*(1-1e-12)
	}
	if y < g.TargetYear && a > 0 {
		p.RemainingCAGR = math.Pow(g.TargetValue/a, 1/float64(g.TargetYear-y)) - 1
	}
	return p
}
