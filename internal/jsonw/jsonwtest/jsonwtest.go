// Package jsonwtest checks a type's hand-written JSON against encoding/json's.
package jsonwtest

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/jsonw"
)

// awkward are strings every escaping rule meets.
var awkward = []string{"", "中关村生命科学园", `"quoted" \ back`, "<b>&</b>", "tab\tnew\nline", "\x01\x1f", "\u2028", "bad \xff", "🧪 P2"}

// SameAsEncodingJSON fails t unless v.AppendJSON writes what json.Marshal writes for v, for the
// zero value and for values with every exported field filled at random (200 of them).
func SameAsEncodingJSON[T jsonw.Appender](t *testing.T) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var zero T
	check(t, zero)
	for range 200 {
		var v T
		fill(reflect.ValueOf(&v).Elem(), r)
		check(t, v)
	}
}

// Same fails t unless v.AppendJSON writes what json.Marshal writes for v: for values the random
// filling cannot make, such as maps whose keys mean something.
func Same[T jsonw.Appender](t *testing.T, v T) {
	t.Helper()
	check(t, v)
}

func check[T jsonw.Appender](t *testing.T, v T) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.AppendJSON(nil); string(got) != string(want) {
		t.Fatalf("%T:\nAppendJSON   %s\nencoding/json %s", v, got, want)
	}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[civil.Date]()
)

func fill(v reflect.Value, r *rand.Rand) {
	switch {
	case v.Type() == timeType:
		if r.IntN(5) > 0 {
			v.Set(reflect.ValueOf(time.Unix(r.Int64N(2e9), r.Int64N(1e9)).UTC()))
		}
		return
	case v.Type() == dateType:
		if r.IntN(3) > 0 {
			v.Set(reflect.ValueOf(civil.Of(1990+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28))))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(r.Int64N(1<<40) - 1<<39)
	case reflect.Float64:
		v.SetFloat((r.Float64() - 0.5) * 360)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String && r.IntN(4) > 0 {
			xs := make([]string, r.IntN(4))
			for i := range xs {
				xs[i] = awkward[r.IntN(len(awkward))]
			}
			v.Set(reflect.ValueOf(xs).Convert(v.Type()))
		}
	case reflect.Map:
		if n := r.IntN(4); n > 0 {
			m := reflect.MakeMap(v.Type())
			for range n - 1 {
				key, elem := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(key, r)
				fill(elem, r)
				m.SetMapIndex(key, elem)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), r)
			}
		}
	default:
		panic("jsonwtest: no filler for " + v.Type().String())
	}
}
