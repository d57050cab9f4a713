package measure

import "testing"

func TestDecimals(t *testing.T) {
	for in, want := range map[string]string{"1234.5": "1234.5", "-0.05": "-0.05", "007": "7", "1.2300": "1.23"} {
		a, err := ParseArea(in)
		if err != nil || a.String() != want {
			t.Errorf("ParseArea(%s) = %s, %v; want %s", in, a, err, want)
		}
	}
	for _, bad := range []string{"", "1.234", "1e3", "12,3", ".", "1.", "--1", "99999999999999999999"} {
		if _, err := ParseArea(bad); err == nil {
			t.Errorf("ParseArea(%q) accepted", bad)
		}
	}
	for m, want := range map[Money]string{9125000: "91250.00", -5: "-0.05", 123: "1.23", 120: "1.20", 0: "0.00"} {
		if got := m.Fixed(); got != want {
			t.Errorf("Money(%d).Fixed() = %s, want %s", m, got, want)
		}
	}
	if p, err := ParsePrice("5.2525"); err != nil || p != 52525 || p.String() != "5.2525" {
		t.Errorf("ParsePrice: %d %v", p, err)
	}
}

func TestMoneyWan(t *testing.T) {
	for m, want := range map[Money]string{0: "0", 1: "0.000001", 12345600: "12.3456", -100000000: "-100", 123456789012: "123456.789012"} {
		if got := m.Wan(); got != want {
			t.Errorf("Money(%d).Wan() = %q, want %q", m, got, want)
		}
	}
}
