package httpin

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
)

// invalidUTF8 names the top-level keys whose raw values are not valid UTF-8. encoding/json
// would quietly turn such bytes into U+FFFD, so they are refused before decoding.
func invalidUTF8(f *apperr.Fields, obj map[string]json.RawMessage) {
	keys := make([]string, 0, len(obj))
	for k, v := range obj {
		if !utf8.Valid(v) || !utf8.ValidString(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.Add(strings.ToValidUTF8(k, "?"), "bad_encoding", "文本不是有效的 UTF-8 编码", "text is not valid UTF-8")
	}
}

// CheckText refuses, naming each field, any string in v that holds a NUL byte or invalid UTF-8
// or is longer than check.NoteLen characters — or than a field's own `maxlen:"N"` tag, up to
// check.LongTextLen: both engines then store exactly the same text, and nothing unbounded
// reaches the database. Tighter limits (names) are the domain's.
func CheckText(v any) error {
	var f apperr.Fields
	walkText(&f, reflect.ValueOf(v), "", check.NoteLen)
	return f.Err()
}

func walkText(f *apperr.Fields, v reflect.Value, path string, max int) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(f, v.Elem(), path, max)
		}
	case reflect.String:
		check.StringUpTo(f, path, v.String(), max)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			walkText(f, v.Index(i), fmt.Sprintf("%s[%d]", path, i), max)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			walkText(f, v.MapIndex(k), join(path, fmt.Sprint(k)), check.NoteLen)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if sf.Anonymous && name == "" {
				walkText(f, v.Field(i), path, check.NoteLen)
				continue
			}
			if name == "" {
				name = sf.Name
			}
			walkText(f, v.Field(i), join(path, name), fieldMax(sf))
		}
	}
}

// fieldMax is a field's own bound (`maxlen:"N"`, at most check.LongTextLen), else NoteLen.
func fieldMax(sf reflect.StructField) int {
	if n, err := strconv.Atoi(sf.Tag.Get("maxlen")); err == nil && n > 0 {
		return min(n, check.LongTextLen)
	}
	return check.NoteLen
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
