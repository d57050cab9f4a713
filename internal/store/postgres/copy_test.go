package postgres

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

type status string

func TestCopyValues(t *testing.T) {
	var noDate *civil.Date
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, `\N`},
		{"a\tb\nc\rd\\e", `a\tb\nc\rd\\e`},
		{`\N`, `\\N`},
		{true, "t"},
		{false, "f"},
		{42, "42"},
		{int64(-1) << 62, "-4611686018427387904"},
		{0.5, "0.5"},
		{[]byte{0xde, 0xad}, `\\xdead`},
		{[]byte(nil), `\N`},
		{time.Date(2026, 6, 30, 8, 0, 0, 1000, time.FixedZone("", 8*3600)), "2026-06-30 08:00:00.000001+08:00"},
		{civil.Of(2026, 2, 28), "2026-02-28"},
		{civil.Date{}, `\N`},
		{noDate, `\N`},
		{measure.Money(-1234), "-1234"},
		{status("approved"), "approved"},
		{uint8(7), "7"},
		{float32(1.5), "1.5"},
	} {
		var b bytes.Buffer
		if err := appendCopyValue(&b, c.v); err != nil || b.String() != c.want {
			t.Errorf("%#v: %q, %v; want %q", c.v, b.String(), err, c.want)
		}
	}
	var b bytes.Buffer
	if err := appendCopyValue(&b, struct{}{}); err == nil || !strings.Contains(err.Error(), "cannot be copied") {
		t.Errorf("a struct: %v", err)
	}
	r := &copyText{table: "t", cols: []string{"a", "b"}, rows: [][]any{{1, 2}, {3}}}
	if _, err := r.Read(make([]byte, 64)); err == nil || !strings.Contains(err.Error(), "row 2 has 1 values for 2 columns") {
		t.Errorf("a short row: %v", err)
	}
}
