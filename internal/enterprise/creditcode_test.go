package enterprise

import "testing"

func TestCreditCodeProblem(t *testing.T) {
	// 91350100M000100Y43 is the worked example printed in GB 32100-2015 Annex.
	cases := []struct {
		code, want string
	}{
		{"91350100M000100Y43", ""},
		{"91350100M000100Y44", "check_char"},
		{"91350100M000100Y4", "length"},
		{"91350100M000100YI3", "charset"},
		{"91350100m000100Y43", "charset"},
	}
	for _, c := range cases {
		if got := CreditCodeProblem(c.code); got != c.want {
			t.Errorf("CreditCodeProblem(%q) = %q, want %q", c.code, got, c.want)
		}
	}
	if got := CreditCheckChar("91350100M000100Y4"); got != '3' {
		t.Errorf("CreditCheckChar = %c, want 3", got)
	}
}

func FuzzCreditCode(f *testing.F) {
	f.Add("91350100M000100Y43")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p := CreditCodeProblem(s)
		if p == "" && (len(s) != 18 || CreditCheckChar(s[:17]) != s[17]) {
			t.Fatalf("accepted invalid %q", s)
		}
	})
}
