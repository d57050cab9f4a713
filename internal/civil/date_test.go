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
