package jsonw

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

func TestStringIsWhatEncodingJSONWrites(t *testing.T) {
	cases := []string{"", "plain", "中关村科学城 P2 实验室", `quote " and \ backslash`, "<script>&amp;</script>",
		"line\u2028para\u2029end", "bad \xff\xfe utf-8 \xe4\xb8", "emoji 🧪", "\x7f del"}
	for c := 0; c < 0x20; c++ {
		cases = append(cases, "ctl "+string(rune(c))+" end")
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := String(nil, s); string(got) != string(want) {
			t.Errorf("String(%q) = %s, want %s", s, got, want)
		}
	}
	for _, xs := range [][]string{nil, {}, {"a", "<b>"}} {
		want, _ := json.Marshal(xs)
		if got := Strings(nil, xs); string(got) != string(want) {
			t.Errorf("Strings(%q) = %s, want %s", xs, got, want)
		}
	}
}

func TestNumbersAndTimesAreWhatEncodingJSONWrites(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 39.9841, 116.3162, 1e-7, -1.5e-9, 1e21, 123456789012345678, 1e20, 0.1 + 0.2, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		want, _ := json.Marshal(f)
		if got := Float(nil, f); string(got) != string(want) {
			t.Errorf("Float(%v) = %s, want %s", f, got, want)
		}
	}
	for _, tm := range []time.Time{{}, time.Date(2026, 11, 30, 8, 1, 2, 345600000, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CST", 8*3600))} {
		want, _ := json.Marshal(tm)
		if got := Time(nil, tm); string(got) != string(want) {
			t.Errorf("Time(%v) = %s, want %s", tm, got, want)
		}
	}
}

type own struct{ A string }

func (o own) AppendJSON(b []byte) []byte { return append(String(append(b, `{"A":`...), o.A), '}') }

type embedsOwn struct {
	own
	B int
}

// A struct that embeds an Appender has the embedded AppendJSON, which would drop its own fields;
// a nil pointer's AppendJSON would panic. Neither may take the short way.
func TestOnlyTypesThatWriteThemselvesAppend(t *testing.T) {
	if !Appends(own{"x"}) || !Appends(&own{"x"}) {
		t.Error("a type with its own AppendJSON does not append")
	}
	if Appends(embedsOwn{own{"x"}, 1}) || Appends(&embedsOwn{}) {
		t.Error("a struct embedding an Appender appends: its B would be lost")
	}
	if Appends((*own)(nil)) {
		t.Error("a nil pointer appends")
	}
	if !Promoted(reflect.TypeFor[*embedsOwn]()) || Promoted(reflect.TypeFor[own]()) || Promoted(reflect.TypeFor[int]()) {
		t.Error("Promoted is wrong")
	}
}
