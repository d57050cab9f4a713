package civil

import "testing"

func TestAddMonths(t *testing.T) {
	cases := []struct {
		from, want string
		n          int
	}{
		{"2025-01-31", "2025-02-28", 1}, {"2024-01-31", "2024-02-29", 1}, {"2025-01-15", "2025-02-15", 1},
		{"2025-03-31", "2025-04-30", 1}, {"2025-12-15", "2026-01-15", 1}, {"2025-01-31", "2025-03-31", 2},
		{"2025-08-31", "2026-02-28", 6}, {"2025-05-10", "2025-05-10", 0},
	}
	for _, c := range cases {
		d, _ := Parse(c.from)
		if got := d.AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, good := range []string{"2024-02-29", "2025-12-31", "1669-01-01"} {
		if d, err := Parse(good); err != nil || d.String() != good {
			t.Errorf("Parse(%s) = %s, %v", good, d, err)
		}
	}
	for _, bad := range []string{"2025-02-29", "2025-13-01", "2025-00-10", "2025-1-05", "2025/01/05", "20250105", "2025-01-32", "abcd-ef-gh", "", "0001-01-01"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2025-06-30")
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := Parse(s); err == nil && d.String() != s {
			t.Fatalf("Parse(%q) round-trips to %s", s, d)
		}
	})
}

// TestAddDaysMatchesTheCalendar: adding days lands where the calendar says, across month and
// leap-year ends, far out and back, and from the zero date.
func TestAddDaysMatchesTheCalendar(t *testing.T) {
	starts := []Date{Of(2024, 2, 28), Of(2023, 12, 31), Of(2100, 2, 28), Of(1999, 1, 1), {}}
	for _, d := range starts {
		for _, n := range []int{0, 1, -1, 2, 30, 365, 366, -366, 1461, 36_524, 99_999, 100_001, -100_001, 400_000} {
			want := Date{d.t.AddDate(0, 0, n)}
			if got := d.AddDays(n); !got.Equal(want) {
				t.Errorf("%s + %d days = %s, want %s", d, n, got, want)
			}
		}
	}
}
