package httpin

import (
	"testing"

	"github.com/parkos/parkos/internal/leasing"
)

// FuzzDecodeStrict: no body, however malformed, panics the strict decoder; a body it accepts
// holds text that passes the text checks.
func FuzzDecodeStrict(f *testing.F) {
	f.Add([]byte(`{"number":"HT-1","enterprise_id":"e","start_on":"2026-01-01","end_on":"2026-12-31","price":5,` +
		`"units":[{"unit_id":"u","area":120.5}],"rent_free":[{"from":"2026-01-01","to":"2026-01-31"}],` +
		`"escalation":{"kind":"percent","basis_points":300,"every_months":12,"from_month":13},"status":"active"}`))
	f.Add([]byte(`{"number":"\u0000"}`))
	f.Add([]byte(`{"price":1e400}`))
	f.Add([]byte(`{"units":[{"area":-0.001}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in leasing.NewContract
		if err := DecodeStrict(body, &in); err != nil {
			return
		}
		if err := CheckText(in); err != nil {
			t.Fatalf("accepted text the checks refuse: %v", err)
		}
	})
}
