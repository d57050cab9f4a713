package leasing

import (
	"math"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// UnitRow is what occupancy needs of a unit.
type UnitRow struct {
	ID         string
	BuildingID string
	Kind       string
	Gross      measure.Area
	Leasable   bool
	ValidFrom  civil.Date
	ValidTo    civil.Date // zero while current
	From       []string   // the units it was split or merged from, whose history it carries on
	Versions   []Version  // its kind, area and leasable flag from each day on, oldest first
	// OnlyKind, when set, counts the unit only on days its kind (as versioned) is this one.
	OnlyKind string
	// LineageOnly marks a predecessor outside the filter, read for what it passes on only.
	LineageOnly bool
}

// Version is what a unit was from a day on, until its next version.
type Version struct {
	From     civil.Date
	Kind     string
	Gross    measure.Area
	Leasable bool
}

func (u UnitRow) existsOn(d civil.Date) bool {
	return !d.Before(u.ValidFrom) && (u.ValidTo.IsZero() || d.Before(u.ValidTo))
}

// on is the unit as it was on d: its version in force then (the first one for a day before
// any, and the row itself when it has no versions).
func (u UnitRow) on(d civil.Date) UnitRow {
	u.applyVersion(d)
	return u
}

// shapeOn is the unit's kind, gross area and leasable flag on d.
func (u *UnitRow) shapeOn(d civil.Date) (kind string, gross measure.Area, leasable bool) {
	if len(u.Versions) == 0 {
		return u.Kind, u.Gross, u.Leasable
	}
	v := u.Versions[0]
	for _, next := range u.Versions[1:] {
		if next.From.After(d) {
			break
		}
		v = next
	}
	return v.Kind, v.Gross, v.Leasable
}

// applyVersion sets the unit's kind, area and leasable flag to its version in force on d.
func (u *UnitRow) applyVersion(d civil.Date) {
	u.Kind, u.Gross, u.Leasable = u.shapeOn(d)
}

// LeaseRow is one unit of one signed (non-draft) contract.
type LeaseRow struct {
	ContractID   string
	EnterpriseID string
	UnitID       string
	From, To     civil.Date // the unit's dates in the contract
	SignedOn     civil.Date
	LastDay      civil.Date // termination or end of the contract
}

// lastDay is the last day this unit is let under the lease.
func (l LeaseRow) lastDay() civil.Date { return civil.Min(l.To, l.LastDay) }

func (l LeaseRow) inForce(d civil.Date) bool { return !d.Before(l.From) && !d.After(l.lastDay()) }

// Figures are the occupancy measures of §4 on one day for one set of units.
type Figures struct {
	On                 civil.Date   `json:"on"`
	Units              int          `json:"units"`          // leasable units existing on the day
	LeasableArea       measure.Area `json:"leasable_area"`  // their gross area
	LeasedArea         measure.Area `json:"leased_area"`    // under a lease in force
	CommittedArea      measure.Area `json:"committed_area"` // leased, plus signed leases not yet started
	EverLeasedArea     measure.Area `json:"ever_leased_area"`
	LeasedUnits        int          `json:"leased_units"`
	Tenants            int          `json:"tenants"`         // enterprises with a lease in force
	OccupancyRate      float64      `json:"occupancy_rate"`  // 出租率 = leased ÷ leasable area
	CommittedRate      float64      `json:"committed_rate"`  // (leased + signed-not-started) ÷ leasable
	AbsorptionRate     float64      `json:"absorption_rate"` // 去化率 = area ever let since opening ÷ leasable
	UnitOccupancyRate  float64      `json:"unit_occupancy_rate"`
	WALEYears          float64      `json:"wale_years"` // weighted average lease expiry, by area
	Expiring30         measure.Area `json:"expiring_30"`
	Expiring60         measure.Area `json:"expiring_60"`
	Expiring90         measure.Area `json:"expiring_90"`
	VacantUpTo90Days   measure.Area `json:"vacant_up_to_90_days"`
	Vacant91To180Days  measure.Area `json:"vacant_91_to_180_days"`
	Vacant181To365Days measure.Area `json:"vacant_181_to_365_days"`
	VacantOver365Days  measure.Area `json:"vacant_over_365_days"`
}

func ratio(a, b measure.Area) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Occupancy computes the figures on day d. Units that do not exist on d (retired by a split or
// merge, or not yet created) are left out, so a later split never changes an earlier figure.
func Occupancy(units []UnitRow, leases []LeaseRow, d civil.Date) Figures {
	return occupancy(units, &unitIndex{all: units}, leasesByUnit(leases), d)
}

// unitIndex finds units by id, built on first use: only units made by a split or merge need it.
type unitIndex struct {
	all  []UnitRow
	byID map[string]UnitRow
}

func (x *unitIndex) get(id string) (UnitRow, bool) {
	if x.byID == nil {
		x.byID = make(map[string]UnitRow, len(x.all))
		for _, u := range x.all {
			x.byID[u.ID] = u
		}
	}
	u, ok := x.byID[id]
	return u, ok
}

// lineage answers, for one day, what a unit inherits from the units it was split or merged
// from: whether their area was ever let, and since when they stood empty (SPEC §2: a split or
// merge never rewrites history).
type lineage struct {
	units  *unitIndex
	byUnit map[string][]LeaseRow
	d      civil.Date
	share  map[string]float64
	since  map[string]civil.Date
}

func newLineage(units *unitIndex, byUnit map[string][]LeaseRow, d civil.Date) *lineage {
	return &lineage{units: units, byUnit: byUnit, d: d, share: map[string]float64{}, since: map[string]civil.Date{}}
}

// signedBy reports whether a lease had been signed or started by d.
func signedBy(l LeaseRow, d civil.Date) bool { return !l.SignedOn.After(d) || !l.From.After(d) }

// everShare is the fraction of u's area that had been let by d: all of it when u itself was,
// else its predecessors' let area over their whole area (a split's parts share the parent's,
// a merge carries the let part of what it joined).
func (l *lineage) everShare(u UnitRow) float64 {
	if v, ok := l.share[u.ID]; ok {
		return v
	}
	l.share[u.ID] = 0 // a cycle in bad data ends here
	for _, ls := range l.byUnit[u.ID] {
		if signedBy(ls, l.d) && !ls.From.After(l.d) {
			l.share[u.ID] = 1
			return 1
		}
	}
	var let, whole float64
	for _, id := range u.From {
		if p, ok := l.units.get(id); ok {
			if !p.ValidTo.IsZero() {
				p = p.on(p.ValidTo.AddDays(-1)) // as it was when it was split or merged
			}
			let += float64(p.Gross) * l.everShare(p)
			whole += float64(p.Gross)
		}
	}
	if whole > 0 {
		l.share[u.ID] = let / whole
	}
	return l.share[u.ID]
}

// vacantSince is the first day of the vacancy u is in on d: the day after its last lease
// ended, else the day its predecessors became vacant (the latest of them), else the day it came
// into being.
func (l *lineage) vacantSince(u UnitRow) civil.Date {
	if v, ok := l.since[u.ID]; ok {
		return v
	}
	l.since[u.ID] = u.ValidFrom
	var lastEnd civil.Date
	for _, ls := range l.byUnit[u.ID] {
		if signedBy(ls, l.d) && ls.lastDay().Before(l.d) && ls.lastDay().After(lastEnd) {
			lastEnd = ls.lastDay()
		}
	}
	since := u.ValidFrom
	switch {
	case !lastEnd.IsZero():
		since = lastEnd.AddDays(1)
	case len(u.From) > 0:
		var latest civil.Date
		for _, id := range u.From {
			if p, ok := l.units.get(id); ok {
				if ps := l.vacantSince(p); ps.After(latest) {
					latest = ps
				}
			}
		}
		if !latest.IsZero() {
			since = latest
		}
	}
	l.since[u.ID] = since
	return since
}

func leasesByUnit(leases []LeaseRow) map[string][]LeaseRow {
	byUnit := map[string][]LeaseRow{}
	for _, l := range leases {
		byUnit[l.UnitID] = append(byUnit[l.UnitID], l)
	}
	return byUnit
}

func occupancy(units []UnitRow, index *unitIndex, byUnit map[string][]LeaseRow, d civil.Date) Figures {
	f := Figures{On: d}
	var history *lineage // made for the first unit that has predecessors
	inherited := func() *lineage {
		if history == nil {
			history = newLineage(index, byUnit, d)
		}
		return history
	}
	tenants := map[string]bool{}
	var waleWeighted float64
	for i := range units {
		u := &units[i] // by pointer: a series walks every unit once a month
		if u.LineageOnly || !u.existsOn(d) {
			continue
		}
		kind, gross, leasable := u.shapeOn(d)
		if !leasable || u.OnlyKind != "" && kind != u.OnlyKind {
			continue
		}
		f.Units++
		f.LeasableArea += gross
		leased, committed, ever := false, false, false
		lastEnd := civil.Date{}
		for _, l := range byUnit[u.ID] {
			if !signedBy(l, d) {
				continue // not yet signed on that day
			}
			if !l.From.After(d) {
				ever = true
			}
			switch {
			case l.inForce(d):
				leased = true
				tenants[l.EnterpriseID] = true
				remaining := d.DaysUntil(l.lastDay())
				waleWeighted += float64(gross) * float64(remaining) / 365
				for _, n := range []struct {
					days int
					into *measure.Area
				}{{30, &f.Expiring30}, {60, &f.Expiring60}, {90, &f.Expiring90}} {
					if remaining <= n.days {
						*n.into += gross
					}
				}
			case l.From.After(d):
				committed = true
			case l.lastDay().Before(d) && l.lastDay().After(lastEnd):
				lastEnd = l.lastDay()
			}
		}
		if leased {
			f.LeasedArea += gross
			f.LeasedUnits++
		}
		if leased || committed {
			f.CommittedArea += gross
		}
		switch {
		case ever:
			f.EverLeasedArea += gross
		case len(u.From) > 0:
			f.EverLeasedArea += measure.Area(math.Round(float64(gross) * inherited().everShare(*u)))
		}
		if !leased {
			since := u.ValidFrom
			switch {
			case !lastEnd.IsZero():
				since = lastEnd.AddDays(1)
			case len(u.From) > 0:
				since = inherited().vacantSince(*u)
			}
			switch days := since.DaysUntil(d); {
			case days <= 90:
				f.VacantUpTo90Days += gross
			case days <= 180:
				f.Vacant91To180Days += gross
			case days <= 365:
				f.Vacant181To365Days += gross
			default:
				f.VacantOver365Days += gross
			}
		}
	}
	f.Tenants = len(tenants)
	f.OccupancyRate = ratio(f.LeasedArea, f.LeasableArea)
	f.CommittedRate = ratio(f.CommittedArea, f.LeasableArea)
	f.AbsorptionRate = ratio(f.EverLeasedArea, f.LeasableArea)
	if f.Units > 0 {
		f.UnitOccupancyRate = float64(f.LeasedUnits) / float64(f.Units)
	}
	if f.LeasedArea > 0 {
		f.WALEYears = waleWeighted / float64(f.LeasedArea)
	}
	return f
}

// Point is one month of a series: the figures on the month's last day and the net absorption
// (leased area gained) over the month.
type Point struct {
	Month         string       `json:"month"` // YYYY-MM
	Figures       Figures      `json:"figures"`
	NetAbsorption measure.Area `json:"net_absorption"`
}

// Series computes month-end figures from the month of from to the month of to.
func Series(units []UnitRow, leases []LeaseRow, from, to civil.Date) []Point {
	var out []Point
	byUnit, index := leasesByUnit(leases), &unitIndex{all: units}
	first := civil.Of(from.Year(), from.Month(), 1)
	prev := occupancy(units, index, byUnit, first.AddDays(-1)).LeasedArea
	for m := first; !m.After(to); m = m.AddMonths(1) {
		end := m.AddMonths(1).AddDays(-1)
		f := occupancy(units, index, byUnit, end)
		out = append(out, Point{Month: end.String()[:7], Figures: f, NetAbsorption: f.LeasedArea - prev})
		prev = f.LeasedArea
	}
	return out
}

// Target metrics.
var TargetMetrics = []string{"occupancy", "absorption", "committed"}

// TargetStatuses are what a target's evaluation says: met or missed by a past day, on track or
// behind for a future one.
var TargetStatuses = []string{"met", "missed", "on_track", "behind"}

// Target is a goal for a park: a metric at a rate by a day.
type Target struct {
	ID          string     `json:"id"`
	ParkID      string     `json:"park_id"`
	Metric      string     `json:"metric"`       // occupancy | absorption | committed
	BasisPoints int        `json:"basis_points"` // 6000 = 60 %
	ByDate      civil.Date `json:"by_date"`
	Note        string     `json:"note"`
	// Evaluation, filled on read:
	Status string  `json:"status"` // met | missed | on_track | behind
	Value  float64 `json:"value"`  // actual on the day, or the forecast for a future day
}

// Validate checks a target.
func (t *Target) Validate() error {
	var f apperr.Fields
	if t.ParkID == "" {
		f.Required("park_id")
	}
	if !slices.Contains(TargetMetrics, t.Metric) {
		f.Add("metric", "unknown_value", "指标须为出租率、去化率或承诺率", "metric must be occupancy, absorption or committed")
	}
	if t.BasisPoints <= 0 || t.BasisPoints > 10000 {
		f.Add("basis_points", "out_of_range", "目标须在 0.01% 到 100% 之间", "basis_points must be between 1 and 10000")
	}
	if t.ByDate.IsZero() {
		f.Required("by_date")
	}
	return f.Err()
}

func (f Figures) metric(name string) float64 {
	switch name {
	case "absorption":
		return f.AbsorptionRate
	case "committed":
		return f.CommittedRate
	}
	return f.OccupancyRate
}

// Forecast is the expected occupancy on a future day: leases signed by today that are in force
// then, plus open leads' largest wanted area weighted by their probability (from their move-in
// date, or three months on when they gave none), never more than the vacant area.
func Forecast(units []UnitRow, leases []LeaseRow, leads []Lead, today, on civil.Date) Figures {
	var signed []LeaseRow
	for _, l := range leases {
		if !l.SignedOn.After(today) {
			signed = append(signed, l)
		}
	}
	f := Occupancy(units, signed, on)
	var weighted float64
	for _, l := range leads {
		start := l.MoveInBy
		if start.IsZero() {
			start = today.AddMonths(3)
		}
		if l.Open() && !start.After(on) {
			weighted += float64(l.MaxArea) * float64(l.Probability) / 100
		}
	}
	extra := measure.Area(min(weighted, float64(f.LeasableArea-f.LeasedArea)))
	f.LeasedArea += extra
	f.CommittedArea = max(f.CommittedArea, f.LeasedArea)
	f.EverLeasedArea += extra
	f.OccupancyRate = ratio(f.LeasedArea, f.LeasableArea)
	f.CommittedRate = ratio(f.CommittedArea, f.LeasableArea)
	f.AbsorptionRate = ratio(min(f.EverLeasedArea, f.LeasableArea), f.LeasableArea)
	return f
}

// Evaluate fills a target's status: met or missed once its day has passed, otherwise on track
// or behind by the forecast for its day.
func (t *Target) Evaluate(units []UnitRow, leases []LeaseRow, leads []Lead, today civil.Date) {
	goal := float64(t.BasisPoints) / 10000
	if t.ByDate.After(today) {
		t.Value = Forecast(units, leases, leads, today, t.ByDate).metric(t.Metric)
		t.Status = map[bool]string{true: "on_track", false: "behind"}[t.Value >= goal]
		return
	}
	t.Value = Occupancy(units, leases, t.ByDate).metric(t.Metric)
	t.Status = map[bool]string{true: "met", false: "missed"}[t.Value >= goal]
}
