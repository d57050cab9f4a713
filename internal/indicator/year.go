// Package indicator computes the park authority's figures exactly as SPEC §6.1 says: an
// enterprise's year from its reports (rule 1), park and group values with their coverage (rules
// 2–5, 7), growth (rule 6), goals (rule 8) and evaluation (rule 9). It is pure: callers hand it
// the reports, attributes and schemes, and every value it returns says how it was computed.
package indicator

import (
	"slices"

	"github.com/parkos/parkos/internal/stats"
)

// Filing is one period of a year that an enterprise was asked to file in (its period's member
// list holds it), with its report.
type Filing struct {
	Kind     stats.Kind
	Seq      int // month 1–12, quarter 1–4, 0 for annual
	Approved bool
	Figures  stats.Figures
}

// Year is an enterprise's year in one park (rule 1).
type Year struct {
	EnterpriseID string `json:"enterprise_id"`
	Name         string `json:"name"`
	ParkID       string `json:"park_id"`
	Year         int    `json:"year"`
	// Kind is the finest kind of period the enterprise was asked for in the year; Expected of
	// them were expected and Approved of those are approved.
	Kind     stats.Kind `json:"kind"`
	Expected int        `json:"expected"`
	Approved int        `json:"approved"`
	// Complete: every expected report is approved. Only complete years enter aggregates.
	Complete bool `json:"complete"`
	// Figures are the year's flows and stocks (fen or counts); a measure no report gives is
	// absent, never zero. FromAnnual lists the flows taken from an approved annual report.
	Figures    stats.Figures `json:"figures"`
	FromAnnual []string      `json:"from_annual,omitempty"`
	// Leading: the enterprise's class or chain node falls under the park's leading industries
	// (rule 5); set by the caller.
	Leading bool `json:"leading"`
}

// fineness orders period kinds from the coarsest.
var fineness = map[stats.Kind]int{stats.Annual: 0, stats.Quarterly: 1, stats.Monthly: 2}

// YearOf computes an enterprise's year from the filings of that year in one park (rule 1).
// Expected reports are the periods of the finest kind it was asked for; a flow is the approved
// annual report's value where there is one, else the sum over the expected reports when every
// one of them gives it; a stock is the value of the last expected report.
func YearOf(enterpriseID, parkID string, year int, filings []Filing) Year {
	y := Year{EnterpriseID: enterpriseID, ParkID: parkID, Year: year, Figures: stats.Figures{}}
	if len(filings) == 0 {
		return y
	}
	finest := filings[0].Kind
	for _, f := range filings {
		if fineness[f.Kind] > fineness[finest] {
			finest = f.Kind
		}
	}
	y.Kind = finest
	var expected []Filing
	var annual *Filing
	for i, f := range filings {
		if f.Kind == finest {
			expected = append(expected, f)
		}
		if f.Kind == stats.Annual && f.Approved {
			annual = &filings[i]
		}
	}
	slices.SortFunc(expected, func(a, b Filing) int { return a.Seq - b.Seq })
	y.Expected = len(expected)
	for _, f := range expected {
		if f.Approved {
			y.Approved++
		}
	}
	y.Complete = y.Approved == y.Expected
	last := expected[len(expected)-1]
	for _, m := range stats.Measures {
		if !m.Flow {
			if v, ok := last.Figures[m.Key]; ok && last.Approved {
				y.Figures[m.Key] = v
			}
			continue
		}
		if annual != nil {
			if v, ok := annual.Figures[m.Key]; ok {
				y.Figures[m.Key] = v
				y.FromAnnual = append(y.FromAnnual, m.Key)
				continue
			}
		}
		if sum, ok := sumOf(expected, m.Key); ok {
			y.Figures[m.Key] = sum
		}
	}
	return y
}

// sumOf adds a measure over approved reports that all give it.
func sumOf(reports []Filing, key string) (int64, bool) {
	var sum int64
	for _, f := range reports {
		v, ok := f.Figures[key]
		if !ok || !f.Approved {
			return 0, false
		}
		sum += v
	}
	return sum, true
}
