// Package jsonw appends JSON for the types the list pages send most, without reflection and
// without encoding/json's second pass that re-validates what a MarshalJSON method returned.
// What it writes is byte for byte what encoding/json writes for the same value (HTML-safe
// strings included); each type's test compares the two on filled values.
package jsonw

import (
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Appender is a value that appends its own JSON encoding to b.
type Appender interface {
	AppendJSON(b []byte) []byte
}

const hex = "0123456789abcdef"

// String appends s as a JSON string, escaped as encoding/json escapes it: control characters,
// quote and backslash, <, > and & (so a page can embed it), U+2028 and U+2029, and each byte of
// invalid UTF-8 as U+FFFD.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Strings appends a list of strings; nil is null, as encoding/json writes it.
func Strings(b []byte, xs []string) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, x)
	}
	return append(b, ']')
}

// Int appends an integer.
func Int(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// Bool appends true or false.
func Bool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// Float appends a finite float64 in encoding/json's shortest form: plain notation from 1e-6 up
// to 1e21, exponent notation with a short exponent outside it.
func Float(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b) - start; n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
	}
	return b
}

// Time appends t as time.Time's MarshalJSON writes it (RFC 3339 with nanoseconds).
func Time(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// Quoted appends text that needs no escaping (digits, signs, dots, dashes) in quotes.
func Quoted(b []byte, text []byte) []byte {
	b = append(b, '"')
	b = append(b, text...)
	return append(b, '"')
}

// Appends reports whether v writes all of its JSON itself: an Appender that holds values of
// other types (a page of items) says whether they append theirs through AppendsJSON.
func Appends(v any) bool {
	if _, ok := v.(Appender); !ok {
		return false
	}
	if t := reflect.TypeOf(v); t.Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil() || Promoted(t) {
		return false
	}
	if c, ok := v.(interface{ AppendsJSON() bool }); ok {
		return c.AppendsJSON()
	}
	return true
}

var (
	appenderType = reflect.TypeFor[Appender]()
	promoted     sync.Map // reflect.Type → bool
)

// Promoted reports whether t (or what it points to) is a struct that embeds an Appender. Its
// AppendJSON would then be the embedded one's, which writes that value alone and drops the
// struct's own fields, so such a type goes through encoding/json, even if it declares its own.
func Promoted(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	if p, ok := promoted.Load(t); ok {
		return p.(bool)
	}
	p := false
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && (f.Type.Implements(appenderType) || reflect.PointerTo(f.Type).Implements(appenderType)) {
			p = true
		}
	}
	promoted.Store(t, p)
	return p
}
