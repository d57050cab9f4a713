package leasing

import (
	"context"
	"encoding/binary"
	"errors"
	"math"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
)

// ParkSnapshot is a park's kept month-end figures (migration 0027) beside the park's version now:
// the figures stand while Version equals ParkVersion, since every write a park's occupancy is
// computed from raises its version (migration 0016).
type ParkSnapshot struct {
	ParkID      string
	ParkVersion int64
	Version     int64
	First       civil.Date // the first month's first day
	Data        []byte     // EncodeMonths of the months from First; nil when none is kept
}

// SnapshotStore keeps each park's month-end figures.
type SnapshotStore interface {
	// OccupancySnapshots are the kept figures of every park the caller sees (the authority's
	// scope), with each park's version now.
	OccupancySnapshots(ctx context.Context, sc identity.Scope) ([]ParkSnapshot, error)
	// SaveOccupancySnapshot keeps a park's figures computed at s.Version, unless figures of a
	// newer version are kept; in the transaction of ctx.
	SaveOccupancySnapshot(ctx context.Context, s ParkSnapshot) error
	// ForgetOccupancySnapshots drops every kept snapshot, in the transaction of ctx.
	ForgetOccupancySnapshots(ctx context.Context) error
}

// snapshotMonths is how far back a park's kept figures reach: the longest series asked for.
const snapshotMonths = 240

// monthFields are the additive figures a snapshot keeps per month, in order; WALE follows them.
func monthFields(f *Figures) []*int64 {
	return []*int64{(*int64)(&f.LeasableArea), (*int64)(&f.LeasedArea), (*int64)(&f.CommittedArea), (*int64)(&f.EverLeasedArea),
		(*int64)(&f.Expiring30), (*int64)(&f.Expiring60), (*int64)(&f.Expiring90), (*int64)(&f.VacantUpTo90Days),
		(*int64)(&f.Vacant91To180Days), (*int64)(&f.Vacant181To365Days), (*int64)(&f.VacantOver365Days)}
}

// EncodeMonths packs month-end figures compactly: the counts and areas as varints, WALE as a
// float. The rates are not kept: Combine computes them from the sums.
func EncodeMonths(months []Figures) []byte {
	out := make([]byte, 0, len(months)*48)
	for i := range months {
		f := &months[i]
		out = binary.AppendUvarint(out, uint64(f.Units))
		out = binary.AppendUvarint(out, uint64(f.LeasedUnits))
		out = binary.AppendUvarint(out, uint64(f.Tenants))
		for _, p := range monthFields(f) {
			out = binary.AppendVarint(out, *p)
		}
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(f.WALEYears))
	}
	return out
}

var errBadSnapshot = errors.New("leasing: a kept occupancy snapshot is damaged")

// DecodeMonths unpacks the months from..to (first days of months) of what EncodeMonths packed
// from the month first, each dated by its last day; fewer when the data end before to.
func DecodeMonths(data []byte, first, from, to civil.Date) ([]Figures, error) {
	out := make([]Figures, 0, max(0, monthsBetween(from, to)+1))
	for m := first; len(data) > 0 && !m.After(to); m = m.AddMonths(1) {
		var f Figures
		var err error
		if data, err = decodeMonth(data, &f); err != nil {
			return nil, err
		}
		if !m.Before(from) {
			f.On = m.AddMonths(1).AddDays(-1)
			out = append(out, f.withRates())
		}
	}
	return out, nil
}

// decodeMonth unpacks one month into f and returns the rest of data.
func decodeMonth(data []byte, f *Figures) ([]byte, error) {
	for _, p := range []*int{&f.Units, &f.LeasedUnits, &f.Tenants} {
		v, n := binary.Uvarint(data)
		if n <= 0 {
			return nil, errBadSnapshot
		}
		*p, data = int(v), data[n:]
	}
	for _, p := range monthFields(f) {
		v, n := binary.Varint(data)
		if n <= 0 {
			return nil, errBadSnapshot
		}
		*p, data = v, data[n:]
	}
	if len(data) < 8 {
		return nil, errBadSnapshot
	}
	f.WALEYears = math.Float64frombits(binary.LittleEndian.Uint64(data))
	return data[8:], nil
}

// withRates computes the rates from the sums, as occupancy does.
func (f Figures) withRates() Figures {
	f.OccupancyRate = ratio(f.LeasedArea, f.LeasableArea)
	f.CommittedRate = ratio(f.CommittedArea, f.LeasableArea)
	f.AbsorptionRate = ratio(f.EverLeasedArea, f.LeasableArea)
	f.UnitOccupancyRate = 0
	if f.Units > 0 {
		f.UnitOccupancyRate = float64(f.LeasedUnits) / float64(f.Units)
	}
	return f
}

// Combine adds the figures of two disjoint sets of units on one day (two parks): areas and
// counts add, the rates are computed again from the sums and WALE is weighted by leased area.
// Tenants add too: an enterprise that leases in two parks counts in each.
func Combine(a, b Figures) Figures {
	out := a
	for i, p := range monthFields(&out) {
		*p += *monthFields(&b)[i]
	}
	out.Units += b.Units
	out.LeasedUnits += b.LeasedUnits
	out.Tenants += b.Tenants
	out.WALEYears = 0
	if out.LeasedArea > 0 {
		out.WALEYears = (a.WALEYears*float64(a.LeasedArea) + b.WALEYears*float64(b.LeasedArea)) / float64(out.LeasedArea)
	}
	return out.withRates()
}

// monthsOf are the month-end figures of the months from first to last (first days of months).
func monthsOf(units []UnitRow, leases []LeaseRow, first, last civil.Date) []Figures {
	var out []Figures
	for _, p := range Series(units, leases, first, last) {
		out = append(out, p.Figures)
	}
	return out
}

// parkMonths are the month-end figures of every park the caller sees for the months from first
// to last (first days of months). Within the kept window (the 240 months up to this one) they
// come from each park's snapshot, computed again and kept for the parks whose snapshot is older
// than their last write or does not reach those months; months outside it are computed for
// the request and not kept, so no request can stretch what every later one reads.
// Only the park parkID is read when it is set.
func (s *Service) parkMonths(ctx context.Context, sc identity.Scope, parkID string, first, last civil.Date) (map[string][]Figures, error) {
	snaps, err := s.snapshots.OccupancySnapshots(ctx, sc)
	if err != nil {
		return nil, err
	}
	this := monthStart(s.clock.Today())
	window := [2]civil.Date{this.AddMonths(1 - snapshotMonths), this}
	kept := !first.Before(window[0]) && !last.After(window[1])
	want := monthsBetween(first, last) + 1
	out := make(map[string][]Figures, len(snaps))
	for _, snap := range snaps {
		if parkID != "" && snap.ParkID != parkID {
			continue
		}
		var months []Figures
		if kept && snap.Data != nil && snap.Version == snap.ParkVersion && snap.First == window[0] {
			if months, err = DecodeMonths(snap.Data, snap.First, first, last); err != nil {
				return nil, err
			}
			if len(months) < want {
				months = nil // kept before the months asked for existed
			}
		}
		if months == nil {
			units, leases, err := s.Store.OccupancyRows(ctx, sc, OccupancyFilter{ParkID: snap.ParkID})
			if err != nil {
				return nil, err
			}
			if !kept {
				out[snap.ParkID] = monthsOf(units, leases, first, last)
				continue
			}
			all := monthsOf(units, leases, window[0], window[1])
			snapshot := ParkSnapshot{ParkID: snap.ParkID, Version: snap.ParkVersion, First: window[0], Data: EncodeMonths(all)}
			if err := s.contracts.InTx(ctx, func(ctx context.Context) error { return s.snapshots.SaveOccupancySnapshot(ctx, snapshot) }); err != nil {
				return nil, err
			}
			from := monthsBetween(window[0], first)
			months = all[from : from+want]
		}
		out[snap.ParkID] = months
	}
	return out, nil
}

// RefreshSnapshots computes the month-end figures of the parks in the caller's scope whose
// snapshot is older than their last write (every park's when rebuild is set, after dropping
// them all) and returns how many parks it computed.
func (s *Service) RefreshSnapshots(ctx context.Context, sc identity.Scope, rebuild bool) (int, error) {
	if !sc.AllParks() {
		return 0, apperr.ErrForbidden()
	}
	if rebuild {
		if err := s.contracts.InTx(ctx, s.snapshots.ForgetOccupancySnapshots); err != nil {
			return 0, err
		}
	}
	snaps, err := s.snapshots.OccupancySnapshots(ctx, sc)
	if err != nil {
		return 0, err
	}
	stale := 0
	for _, snap := range snaps {
		if snap.Data == nil || snap.Version != snap.ParkVersion {
			stale++
		}
	}
	this := monthStart(s.clock.Today())
	_, err = s.parkMonths(ctx, sc, "", this.AddMonths(1-snapshotMonths), this)
	return stale, err
}

// allParksSeries is the monthly series of every park together, from the parks' snapshots.
func (s *Service) allParksSeries(ctx context.Context, sc identity.Scope, from, to civil.Date) ([]Point, error) {
	first, last := monthStart(from).AddMonths(-1), monthStart(to) // the month before, for net absorption
	byPark, err := s.parkMonths(ctx, sc, "", first, last)
	if err != nil {
		return nil, err
	}
	total := make([]Figures, monthsBetween(first, last)+1)
	for i := range total {
		total[i] = Figures{On: first.AddMonths(i + 1).AddDays(-1)}.withRates()
	}
	for _, months := range byPark {
		for i, f := range months {
			total[i] = Combine(total[i], f)
		}
	}
	out := make([]Point, 0, len(total)-1)
	for i := 1; i < len(total); i++ {
		out = append(out, Point{Month: total[i].On.String()[:7], Figures: total[i], NetAbsorption: total[i].LeasedArea - total[i-1].LeasedArea})
	}
	return out, nil
}

// YearEndAreas are the leasable and leased area of every park the caller sees (or of the park
// parkID) at the end of each year asked (at the end of this month for the year not yet over),
// from the parks' snapshots.
func (s *Service) YearEndAreas(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][2]measure.Area, error) {
	out := map[string]map[int][2]measure.Area{}
	if len(years) == 0 || !sc.AllParks() && len(sc.ParkIDs) == 0 {
		return out, nil
	}
	this := monthStart(s.clock.Today())
	monthOf := func(y int) civil.Date { return minDate(civil.Of(y, 12, 1), this) }
	var past []int // a year not begun has no occupancy yet
	for _, y := range years {
		if y <= this.Year() {
			past = append(past, y)
		}
	}
	if len(past) == 0 {
		return out, nil
	}
	years = past
	first, last := monthOf(years[0]), monthOf(years[0])
	for _, y := range years {
		first, last = minDate(first, monthOf(y)), maxDate(last, monthOf(y))
	}
	if this.AddMonths(1 - snapshotMonths).After(first) {
		first = this.AddMonths(1 - snapshotMonths)
	}
	if first.After(last) {
		return out, nil
	}
	byPark, err := s.parkMonths(ctx, sc, parkID, first, last)
	if err != nil {
		return nil, err
	}
	for park, months := range byPark {
		out[park] = map[int][2]measure.Area{}
		for _, y := range years {
			if i := monthsBetween(first, monthOf(y)); i >= 0 && i < len(months) {
				out[park][y] = [2]measure.Area{months[i].LeasableArea, months[i].LeasedArea}
			}
		}
	}
	return out, nil
}

func monthStart(d civil.Date) civil.Date { return civil.Of(d.Year(), d.Month(), 1) }

// monthsBetween counts the months from a's to b's.
func monthsBetween(a, b civil.Date) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func minDate(a, b civil.Date) civil.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b civil.Date) civil.Date {
	if b.After(a) {
		return b
	}
	return a
}
