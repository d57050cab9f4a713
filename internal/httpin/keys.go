package httpin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
)

// checkKeys refuses what encoding/json lets through silently: a key given twice in one object
// (the last would win) and a key that names a field only in another case ("Company" for
// "company"), which the document does not allow.
func checkKeys(f *apperr.Fields, body []byte, t reflect.Type) {
	for _, k := range duplicateKeys(body) {
		f.Add(k, "duplicate_field", "字段重复", "the field is given more than once")
	}
	keyCase(f, "", body, t)
}

// duplicateKeys lists the keys given twice in an object of body, as paths ("a.b").
func duplicateKeys(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var dups []string
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if seen[k] {
					dups = append(dups, path+k)
				}
				seen[k] = true
				if err := walk(path + k + "."); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	_ = walk("")
	return dups
}

// keyCase names the keys of raw that match a field of struct type t only when case is ignored,
// descending into nested objects and arrays of objects.
func keyCase(f *apperr.Fields, prefix string, raw []byte, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			for i, item := range items {
				keyCase(f, fmt.Sprintf("%s[%d].", strings.TrimSuffix(prefix, "."), i), item, t.Elem())
			}
		}
		return
	case reflect.Struct:
	default:
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return
	}
	fields := map[string]reflect.Type{}
	for _, sf := range reflect.VisibleFields(t) {
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.IsExported() && tag != "-" && !(sf.Anonymous && tag == "") {
			if tag == "" {
				tag = sf.Name
			}
			fields[tag] = sf.Type
		}
	}
	for k, v := range obj {
		ft, exact := fields[k]
		if !exact {
			for name := range fields {
				if strings.EqualFold(name, k) {
					f.Add(prefix+k, "unknown_field", "不认识的字段（字段名区分大小写，应为 "+name+"）",
						"unknown field (names are case-sensitive: "+name+")")
				}
			}
			continue
		}
		keyCase(f, prefix+k+".", v, ft)
	}
}
