package stats

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/jsonw/jsonwtest"
)

func TestJSONIsWhatEncodingJSONWrites(t *testing.T) {
	jsonwtest.SameAsEncodingJSON[Report](t)
	// Figures write themselves either way (MarshalJSON calls AppendJSON), so they are also
	// checked against the text the API has always sent: keys in order, money as decimal yuan.
	want := `{"employees":42,"exports":"0","revenue":"1234567.89","tax":"-0.05"}`
	if got := string(Figures{"revenue": 123456789, "tax": -5, "employees": 42, "exports": 0, "no_such": 7}.AppendJSON(nil)); got != want {
		t.Errorf("figures: %s, want %s", got, want)
	}
	// Figures of the real measures, money and counts, some left out, as the audit trail holds them.
	r := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		f := Figures{}
		for _, m := range Measures {
			if r.IntN(3) > 0 {
				f[m.Key] = r.Int64N(1<<42) - 1<<41
			}
		}
		jsonwtest.Same(t, f)
		jsonwtest.Same(t, Report{ID: "r", Status: Approved, Figures: f, Confirmed: []string{}, ReturnReason: "补充 <说明>",
			Submissions: 2, SubmittedAt: time.Date(2026, 4, 1, 8, 0, 0, 5, time.UTC), UpdatedAt: time.Now()})
	}
}
