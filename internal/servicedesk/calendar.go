package servicedesk

import (
	"fmt"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
)

// WorkingWindow is a stretch of working time on one weekday (1 Monday … 7 Sunday), in minutes
// after midnight in Shanghai.
type WorkingWindow struct {
	Weekday int `json:"weekday"`
	FromMin int `json:"from_min"`
	ToMin   int `json:"to_min"`
}

// DefaultHours are a park's working hours until it sets its own: Monday to Friday, 9:00–18:00.
var DefaultHours = []WorkingWindow{{1, 540, 1080}, {2, 540, 1080}, {3, 540, 1080}, {4, 540, 1080}, {5, 540, 1080}}

// Calendar is a park's working time: its weekly hours less its holidays. SLA clocks run only
// in it.
type Calendar struct {
	Hours    []WorkingWindow
	Holidays []civil.Date
}

// ValidateHours checks a park's working week.
func ValidateHours(hours []WorkingWindow) error {
	var f apperr.Fields
	switch {
	case len(hours) == 0:
		f.Add("hours", "required", "至少需要一个工作时段", "at least one working stretch is needed")
	case len(hours) > maxWindows:
		f.Add("hours", "too_many", fmt.Sprintf("工作时段不能超过 %d 个", maxWindows), fmt.Sprintf("at most %d working stretches", maxWindows))
		return f.Err()
	}
	for i, w := range hours {
		field := fmt.Sprintf("hours[%d]", i)
		switch {
		case w.Weekday < 1 || w.Weekday > 7:
			f.Add(field+".weekday", "out_of_range", "星期应为 1（周一）到 7（周日）", "weekday must be 1 (Monday) to 7 (Sunday)")
		case w.FromMin < 0 || w.ToMin > 1440 || w.FromMin >= w.ToMin:
			f.Add(field, "bad_window", "时段应在一天之内且开始早于结束", "a stretch must lie within the day and start before it ends")
		}
		if slices.ContainsFunc(hours[:i], func(o WorkingWindow) bool {
			return o.Weekday == w.Weekday && w.FromMin < o.ToMin && o.FromMin < w.ToMin
		}) {
			f.Add(field, "overlap", "同一天的时段不能重叠", "stretches of one day cannot overlap")
		}
	}
	return f.Err()
}

// maxWindows bounds a working week: four stretches a day.
const maxWindows = 28

// horizon bounds how far a clock is walked: a calendar with no working time in it (every day a
// holiday) ends the walk there instead of looping.
const horizon = 3 * 366

// windows are the working stretches of one day, as instants, in time order.
func (c Calendar) windows(d civil.Date) [][2]time.Time {
	if slices.Contains(c.Holidays, d) {
		return nil
	}
	midnight := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, civil.Shanghai)
	var out [][2]time.Time
	for _, w := range c.Hours {
		if w.Weekday == d.ISOWeekday() {
			out = append(out, [2]time.Time{midnight.Add(time.Duration(w.FromMin) * time.Minute), midnight.Add(time.Duration(w.ToMin) * time.Minute)})
		}
	}
	slices.SortFunc(out, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	return out
}

// Add is the instant when hours of working time have passed since start.
func (c Calendar) Add(start time.Time, hours int) time.Time {
	left := time.Duration(hours) * time.Hour
	day := civil.FromTime(start)
	for range horizon {
		for _, w := range c.windows(day) {
			from := later(w[0], start)
			if !from.Before(w[1]) {
				continue
			}
			span := w[1].Sub(from)
			if span >= left {
				return from.Add(left)
			}
			left -= span
		}
		day = day.AddDays(1)
	}
	return start.Add(left)
}

// Between is the working time from a to b (zero when b is not after a).
func (c Calendar) Between(a, b time.Time) time.Duration {
	var total time.Duration
	for day, last := civil.FromTime(a), civil.FromTime(b); !day.After(last); day = day.AddDays(1) {
		for _, w := range c.windows(day) {
			from, to := later(w[0], a), earlier(w[1], b)
			if from.Before(to) {
				total += to.Sub(from)
			}
		}
	}
	return total
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
