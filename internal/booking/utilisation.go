package booking

import (
	"context"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// Use is a booking's time that counts as used: approved, checked in, completed or a no-show.
type Use struct {
	ResourceID string
	Start, End time.Time
}

// MonthUse is a resource's utilisation in a month (§7): booked hours ÷ open hours.
type MonthUse struct {
	Month       string  `json:"month"` // YYYY-MM
	OpenHours   float64 `json:"open_hours"`
	BookedHours float64 `json:"booked_hours"`
	Rate        float64 `json:"rate"` // 0.42 is 42 %; 0 when the resource was not open
}

// openMinutes are the minutes a resource is open on the days from first to last (inclusive),
// not counting holidays or days before it existed.
func (r Resource) openMinutes(first, last civil.Date, holidays []civil.Date) int {
	if since := civil.FromTime(r.CreatedAt); !r.CreatedAt.IsZero() && first.Before(since) {
		first = since
	}
	closed := map[civil.Date]bool{}
	for _, h := range holidays {
		closed[h] = true
	}
	total := 0
	for d := first; !d.After(last); d = d.AddDays(1) {
		if closed[d] {
			continue
		}
		for _, w := range r.Hours {
			if w.Weekday == d.ISOWeekday() {
				from, _ := ClockMinutes(w.From)
				to, _ := ClockMinutes(w.To)
				total += to - from
			}
		}
	}
	return total
}

func dayStart(d civil.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, civil.Shanghai)
}

// usedMinutes are the minutes of uses of a resource that start from first to last (inclusive).
func usedMinutes(uses []Use, resourceID string, first, last civil.Date) int {
	from, to := dayStart(first), dayStart(last.AddDays(1))
	total := 0
	for _, u := range uses {
		if u.ResourceID == resourceID && !u.Start.Before(from) && u.Start.Before(to) {
			total += int(u.End.Sub(u.Start) / time.Minute)
		}
	}
	return total
}

// Utilisation is a resource's utilisation month by month in a year.
func (s *Service) Utilisation(ctx context.Context, sc identity.Scope, id string, year int) ([]MonthUse, error) {
	r, err := s.st.GetResource(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	first, last := civil.Of(year, 1, 1), civil.Of(year, 12, 31)
	holidays, err := s.st.Holidays(ctx, r.ParkID, first, last)
	if err != nil {
		return nil, err
	}
	uses, err := s.st.Uses(ctx, sc, r.ParkID, dayStart(first), dayStart(last.AddDays(1)))
	if err != nil {
		return nil, err
	}
	out := make([]MonthUse, 12)
	for m := range 12 {
		start := civil.Of(year, time.Month(m+1), 1)
		end := start.AddMonths(1).AddDays(-1)
		open, used := r.openMinutes(start, end, holidays), usedMinutes(uses, r.ID, start, end)
		out[m] = MonthUse{Month: start.String()[:7], OpenHours: float64(open) / 60, BookedHours: float64(used) / 60}
		if open > 0 {
			out[m].Rate = float64(used) / float64(open)
		}
	}
	return out, nil
}

// YearHours are every park's (or the park parkID's) open and booked hours of its resources in
// each year asked: what the utilisation indicator (§6) is computed from. Parks with no resource
// are absent.
func (s *Service) YearHours(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][2]float64, error) {
	out := map[string]map[int][2]float64{}
	if len(years) == 0 {
		return out, nil
	}
	resources, err := s.st.ListResources(ctx, sc, parkID)
	if err != nil {
		return nil, err
	}
	byPark := map[string][]Resource{}
	for _, r := range resources {
		if sc.HasPark(r.ParkID) { // shared resources of other parks are not this park's figures
			byPark[r.ParkID] = append(byPark[r.ParkID], r)
		}
	}
	first, last := years[0], years[0]
	for _, y := range years {
		first, last = min(first, y), max(last, y)
	}
	for park, rs := range byPark {
		holidays, err := s.st.Holidays(ctx, park, civil.Of(first, 1, 1), civil.Of(last, 12, 31))
		if err != nil {
			return nil, err
		}
		uses, err := s.st.Uses(ctx, sc, park, dayStart(civil.Of(first, 1, 1)), dayStart(civil.Of(last+1, 1, 1)))
		if err != nil {
			return nil, err
		}
		out[park] = map[int][2]float64{}
		for _, y := range years {
			a, b := civil.Of(y, 1, 1), civil.Of(y, 12, 31)
			var open, used int
			for _, r := range rs {
				open += r.openMinutes(a, b, holidays)
				used += usedMinutes(uses, r.ID, a, b)
			}
			if open > 0 {
				out[park][y] = [2]float64{float64(open) / 60, float64(used) / 60}
			}
		}
	}
	return out, nil
}
