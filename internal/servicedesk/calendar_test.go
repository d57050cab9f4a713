package servicedesk

import (
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

func shanghai(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, civil.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// SLA clocks run only in working time: a park's weekly hours, less its holidays. Each case is
// worked by hand on the calendar of December 2026 (1 December is a Tuesday).
func TestCalendarAddsWorkingHours(t *testing.T) {
	lunch := []WorkingWindow{}
	for wd := 1; wd <= 5; wd++ {
		lunch = append(lunch, WorkingWindow{wd, 540, 720}, WorkingWindow{wd, 780, 1080})
	}
	cases := []struct {
		name  string
		cal   Calendar
		start string
		hours int
		want  string
	}{
		{"inside one day", Calendar{Hours: DefaultHours}, "2026-12-01 10:00", 2, "2026-12-01 12:00"},
		{"ends exactly at closing", Calendar{Hours: DefaultHours}, "2026-12-01 10:00", 8, "2026-12-01 18:00"},
		{"runs over the night", Calendar{Hours: DefaultHours}, "2026-12-01 17:00", 2, "2026-12-02 10:00"},
		{"submitted before opening", Calendar{Hours: DefaultHours}, "2026-12-01 06:30", 1, "2026-12-01 10:00"},
		{"submitted after closing", Calendar{Hours: DefaultHours}, "2026-12-01 22:00", 1, "2026-12-02 10:00"},
		{"over the weekend", Calendar{Hours: DefaultHours}, "2026-12-04 16:00", 4, "2026-12-07 11:00"},
		{"submitted on a Sunday", Calendar{Hours: DefaultHours}, "2026-12-06 12:00", 9, "2026-12-07 18:00"},
		{"skips a holiday", Calendar{Hours: DefaultHours, Holidays: []civil.Date{civil.Of(2026, 12, 2)}}, "2026-12-01 17:00", 2, "2026-12-03 10:00"},
		{"a week of working time", Calendar{Hours: DefaultHours}, "2026-12-01 09:00", 45, "2026-12-07 18:00"},
		{"the lunch break does not count", Calendar{Hours: lunch}, "2026-12-01 11:00", 2, "2026-12-01 14:00"},
		{"zero hours is now", Calendar{Hours: DefaultHours}, "2026-12-01 10:17", 0, "2026-12-01 10:17"},
	}
	for _, c := range cases {
		got := c.cal.Add(shanghai(c.start), c.hours)
		if !got.Equal(shanghai(c.want)) {
			t.Errorf("%s: %s + %d h = %s, want %s", c.name, c.start, c.hours, got.In(civil.Shanghai).Format("2006-01-02 15:04"), c.want)
		}
		if back := c.cal.Between(shanghai(c.start), got); back != time.Duration(c.hours)*time.Hour {
			t.Errorf("%s: working time between start and due = %s, want %d h", c.name, back, c.hours)
		}
	}
}

// A calendar with no working time left (every day a holiday) ends its walk instead of looping.
func TestCalendarWithoutWorkingTimeEnds(t *testing.T) {
	var every []civil.Date
	for d := civil.Of(2026, 1, 1); d.Year() < 2031; d = d.AddDays(1) {
		every = append(every, d)
	}
	got := Calendar{Hours: DefaultHours, Holidays: every}.Add(shanghai("2026-12-01 10:00"), 8)
	if !got.After(shanghai("2026-12-01 10:00")) {
		t.Fatalf("due %s is not after the start", got)
	}
}

func TestValidateHours(t *testing.T) {
	if err := ValidateHours(DefaultHours); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]WorkingWindow{
		"none":      {},
		"weekday 8": {{8, 540, 1080}},
		"backwards": {{1, 1080, 540}},
		"past 24h":  {{1, 540, 1500}},
		"overlap":   {{1, 540, 800}, {1, 700, 1080}},
		"29 stretches": func() []WorkingWindow {
			var ws []WorkingWindow
			for i := range 29 {
				ws = append(ws, WorkingWindow{1 + i%7, i, i + 1})
			}
			return ws
		}(),
	} {
		if ValidateHours(bad) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
