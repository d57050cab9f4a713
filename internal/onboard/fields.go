package onboard

import (
	"reflect"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

// Field finds the field a column key names in a struct value: keys are the fields' JSON names,
// dotted for nested structs ("facilities.fume_exhaust"), looking through embedded structs.
func Field(v reflect.Value, key string) (reflect.Value, bool) {
	for part := range strings.SplitSeq(key, ".") {
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		f, ok := byJSONName(v, part)
		if !ok {
			return reflect.Value{}, false
		}
		v = f
	}
	return v, true
}

func byJSONName(v reflect.Value, name string) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if tag == name {
			return v.Field(i), true
		}
		if sf.Anonymous && tag == "" {
			if f, ok := byJSONName(v.Field(i), name); ok {
				return f, true
			}
		}
	}
	return reflect.Value{}, false
}

// Overlay copies into dst the fields of src that the row's file had columns for, leaving the
// rest of dst as it was. Keys that are not fields of T (references such as park_code) are
// skipped: the importer resolves those itself.
func Overlay[T any](dst *T, src T, r Ref) {
	dv, sv := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src)
	for key := range r.Present {
		d, ok := Field(dv, key)
		if !ok {
			continue
		}
		s, _ := Field(sv, key)
		d.Set(s)
	}
}

var (
	dateType = reflect.TypeFor[civil.Date]()
	timeType = reflect.TypeFor[time.Time]()
)

// Same says whether two records hold the same data, treating an empty list and no list alike
// (a file cannot tell them apart) and dates by their day.
func Same[T any](a, b T) bool { return same(reflect.ValueOf(a), reflect.ValueOf(b)) }

func same(a, b reflect.Value) bool {
	switch {
	case a.Type() == dateType:
		return a.Interface().(civil.Date).Equal(b.Interface().(civil.Date))
	case a.Type() == timeType:
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !same(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !same(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		return reflect.DeepEqual(a.Interface(), b.Interface())
	default:
		return a.Equal(b)
	}
}
