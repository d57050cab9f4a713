package policy

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Facts are what eligibility is judged on for one enterprise: its profile, its stays in parks,
// its qualifications with their dates, and its years' approved figures (§6.1 rule 1).
type Facts struct {
	EnterpriseID     string
	Name             string
	ParkID           string // the park that keeps its record
	IndustryCode     string
	ChainNodes       []string
	Stage            string
	FoundedOn        civil.Date
	ScientistFounded bool
	ReturneeFounded  bool
	Stays            []Stay
	Qualifications   []Held
	// Years are its years' figures by year, over every park it reported in.
	Years map[int]YearFigures
}

// Stay is a residency: in a park from MoveIn, until MoveOut (zero while resident).
type Stay struct {
	ParkID  string
	MoveIn  civil.Date
	MoveOut civil.Date
}

// Held is a qualification with its validity.
type Held struct {
	Kind      string
	IssuedOn  civil.Date
	ExpiresOn civil.Date // zero: does not expire
}

// YearFigures are an enterprise's figures of one year: Complete when every expected report of
// the year is approved in every park it reported in (§6.1 rule 1); a measure no report gives is
// absent. The four measures the matcher reads are kept in place, not in a map:
// matching reads them for every enterprise of the city.
type YearFigures struct {
	Complete bool
	values   [len(YearMeasures)]int64
	has      [len(YearMeasures)]bool
}

// YearMeasures are the figures a year keeps.
var YearMeasures = [...]string{"revenue", "rd_expense", "tax", "employees"}

// Get is a measure's figure, if the year has it.
func (y YearFigures) Get(m string) (int64, bool) {
	if i := slices.Index(YearMeasures[:], m); i >= 0 && y.has[i] {
		return y.values[i], true
	}
	return 0, false
}

// Add adds v to a measure's figure (summing an enterprise's parks).
func (y *YearFigures) Add(m string, v int64) {
	if i := slices.Index(YearMeasures[:], m); i >= 0 {
		y.values[i] += v
		y.has[i] = true
	}
}

// validOn: the qualification holds on day.
func (h Held) validOn(day civil.Date) bool {
	return !h.IssuedOn.After(day) && (h.ExpiresOn.IsZero() || !h.ExpiresOn.Before(day))
}

// residentOn: the stay covers day.
func (s Stay) residentOn(day civil.Date) bool {
	return !s.MoveIn.After(day) && (s.MoveOut.IsZero() || s.MoveOut.After(day))
}

// ParksOn are the parks the enterprise is resident in on day.
func (f Facts) ParksOn(day civil.Date) []string {
	var out []string
	for _, s := range f.Stays {
		if s.residentOn(day) && !slices.Contains(out, s.ParkID) {
			out = append(out, s.ParkID)
		}
	}
	return out
}

// parks are the parks that keep the enterprise's record or that it was ever resident in: the
// parks whose policies cover it.
func (f Facts) parks() []string {
	out := []string{}
	if f.ParkID != "" {
		out = append(out, f.ParkID)
	}
	for _, s := range f.Stays {
		if !slices.Contains(out, s.ParkID) {
			out = append(out, s.ParkID)
		}
	}
	return out
}

// covers: the policy is for the enterprise's parks (districts names each park's district).
func (c Coverage) covers(f Facts, districts map[string]string) bool {
	switch c.Kind {
	case "all":
		return true
	case "parks":
		return slices.ContainsFunc(f.parks(), func(p string) bool { return slices.Contains(c.ParkIDs, p) })
	}
	return slices.ContainsFunc(f.parks(), func(p string) bool { return districts[p] == c.District })
}

// fullYears between two days: how many anniversaries of from fall on or before to.
func fullYears(from, to civil.Date) int {
	n := to.Year() - from.Year()
	if to.Month() < from.Month() || to.Month() == from.Month() && to.Day() < from.Day() {
		n--
	}
	return max(n, 0)
}

// reading is one fact of an enterprise as a condition sees it: a number, a set of values or a
// flag, the period it belongs to, and how to show it. Missing is true when the data to judge it
// is not there.
type reading struct {
	num     *big.Rat
	set     []string
	flag    bool
	missing bool
	period  string
	shown   string
}

// read takes fact key of f on day with figures of year.
func (f Facts) read(key string, day civil.Date, year int) reading {
	switch key {
	case "industry":
		if f.IndustryCode == "" {
			return reading{missing: true, shown: "—"}
		}
		return reading{set: []string{f.IndustryCode}, shown: f.IndustryCode}
	case "chain_node":
		return reading{set: f.ChainNodes, shown: strings.Join(f.ChainNodes, ", ")}
	case "stage":
		if f.Stage == "" {
			return reading{missing: true, shown: "—"}
		}
		return reading{set: []string{f.Stage}, shown: f.Stage}
	case "scientist_founded":
		return reading{flag: f.ScientistFounded, shown: fmt.Sprint(f.ScientistFounded)}
	case "returnee_founded":
		return reading{flag: f.ReturneeFounded, shown: fmt.Sprint(f.ReturneeFounded)}
	case "qualification":
		var kinds []string
		for _, h := range f.Qualifications {
			if h.validOn(day) && !slices.Contains(kinds, h.Kind) {
				kinds = append(kinds, h.Kind)
			}
		}
		slices.Sort(kinds)
		return reading{set: kinds, period: day.String(), shown: strings.Join(kinds, ", ")}
	case "park":
		parks := f.ParksOn(day)
		return reading{set: parks, period: day.String(), shown: strings.Join(parks, ", ")}
	case "age_years":
		if f.FoundedOn.IsZero() {
			return reading{missing: true, period: day.String(), shown: "—"}
		}
		n := fullYears(f.FoundedOn, day)
		return reading{num: big.NewRat(int64(n), 1), period: day.String(), shown: fmt.Sprint(n)}
	case "residence_years":
		var first civil.Date
		for _, s := range f.Stays {
			if s.residentOn(day) && (first.IsZero() || s.MoveIn.Before(first)) {
				first = s.MoveIn
			}
		}
		n := 0
		if !first.IsZero() {
			n = fullYears(first, day)
		}
		return reading{num: big.NewRat(int64(n), 1), period: day.String(), shown: fmt.Sprint(n)}
	}
	return f.readFigure(key, year)
}

// readFigure reads a fact from the approved figures of year (and, for growth, the year before).
func (f Facts) readFigure(key string, year int) reading {
	period := fmt.Sprint(year)
	y, ok := f.Years[year]
	if !ok || !y.Complete {
		return reading{missing: true, period: period, shown: "—"}
	}
	get := y.Get
	switch key {
	case "revenue", "rd_expense", "tax":
		v, ok := get(key)
		if !ok {
			return reading{missing: true, period: period, shown: "—"}
		}
		return reading{num: big.NewRat(v, 100), period: period, shown: measure.Money(v).String()}
	case "employees":
		v, ok := get("employees")
		if !ok {
			return reading{missing: true, period: period, shown: "—"}
		}
		return reading{num: big.NewRat(v, 1), period: period, shown: fmt.Sprint(v)}
	case "rd_intensity":
		rd, ok1 := get("rd_expense")
		rev, ok2 := get("revenue")
		if !ok1 || !ok2 || rev <= 0 {
			return reading{missing: true, period: period, shown: "—"}
		}
		r := percentOf(rd, rev)
		return reading{num: r, period: period, shown: r.FloatString(2) + "%"}
	case "revenue_growth":
		period = fmt.Sprintf("%d/%d", year, year-1)
		prev, ok := f.Years[year-1]
		rev, ok1 := get("revenue")
		before, ok2 := prev.Get("revenue")
		if !ok || !prev.Complete || !ok1 || !ok2 || before <= 0 {
			return reading{missing: true, period: period, shown: "—"}
		}
		r := percentOf(rev-before, before)
		return reading{num: r, period: period, shown: r.FloatString(2) + "%"}
	}
	return reading{missing: true, period: period, shown: "—"}
}

// percentOf is a ÷ b in per cent, exactly (no product overflows).
func percentOf(a, b int64) *big.Rat {
	r := new(big.Rat).SetFrac(big.NewInt(a), big.NewInt(b))
	return r.Mul(r, big.NewRat(100, 1))
}
