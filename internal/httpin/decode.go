// Package httpin reads what clients send: JSON bodies with field-level errors, JSON merge
// patches and query-string parameters. The API and the web console share it.
package httpin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// MaxBody bounds every JSON request body.
const MaxBody = 1 << 20

func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, apperr.New(apperr.TooLarge, fmt.Sprintf("请求体超过 %d 字节上限", MaxBody),
				fmt.Sprintf("the request body exceeds %d bytes", MaxBody))
		}
		return nil, apperr.Wrap(apperr.BadRequest, err, "无法读取请求体", "could not read the request body")
	}
	return b, nil
}

func malformed(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return apperr.Wrap(apperr.BadRequest, err, fmt.Sprintf("JSON 格式错误（第 %d 字节附近）", syn.Offset),
			fmt.Sprintf("malformed JSON near byte %d", syn.Offset))
	}
	return apperr.Wrap(apperr.BadRequest, err, "JSON 格式错误", "malformed JSON")
}

// DecodeStrict reads body into dst. Syntax errors are 400; wrong types, bad values and unknown
// fields are 422 naming each field.
func DecodeStrict(body []byte, dst any) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return apperr.New(apperr.BadRequest, "请求体须为 JSON 对象", "the request body must be a JSON object")
		}
		return malformed(err)
	}
	if obj == nil {
		return apperr.New(apperr.BadRequest, "请求体须为 JSON 对象", "the request body must be a JSON object")
	}
	var f apperr.Fields
	if invalidUTF8(&f, obj); len(f) > 0 {
		return f.Err()
	}
	if checkKeys(&f, body, reflect.TypeOf(dst)); len(f) > 0 {
		return f.Err()
	}
	if err := strictUnmarshal(body, dst); err == nil {
		return CheckText(dst)
	}
	fieldProblems(&f, "", obj, func(sub []byte) error { return strictUnmarshal(sub, newLike(dst)) })
	if len(f) == 0 {
		f.Add("", "invalid", "请求内容无效", "the request is invalid")
	}
	return f.Err()
}

func strictUnmarshal(b []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

// fieldProblems finds which keys of obj fail on their own, descending into nested objects, so
// an error names "facilities.floor_load" rather than the whole body.
func fieldProblems(f *apperr.Fields, prefix string, obj map[string]json.RawMessage, try func([]byte) error) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		single, _ := json.Marshal(map[string]json.RawMessage{k: obj[k]})
		err := try(single)
		if err == nil {
			continue
		}
		var nested map[string]json.RawMessage
		if json.Unmarshal(obj[k], &nested) == nil && len(nested) > 0 {
			before := len(*f)
			fieldProblems(f, prefix+k+".", nested, func(sub []byte) error {
				wrapped, _ := json.Marshal(map[string]json.RawMessage{k: sub})
				return try(wrapped)
			})
			if len(*f) > before {
				continue
			}
		}
		addDecodeProblem(f, prefix+k, err)
	}
}

func addDecodeProblem(f *apperr.Fields, field string, err error) {
	msg := err.Error()
	var typeErr *json.UnmarshalTypeError
	switch {
	case strings.Contains(msg, "unknown field"):
		f.Add(field, "unknown_field", "不认识的字段", "unknown field")
	case errors.As(err, &typeErr):
		f.Add(field, "wrong_type", "类型不对，应为 "+typeErr.Type.String(), "wrong type, expected "+typeErr.Type.String())
	case errors.Is(err, measure.ErrPrecision):
		f.Add(field, "precision", "小数位数过多（面积、金额最多两位，单价最多四位）",
			"too many decimal places (areas and money take 2, unit prices 4)")
	case errors.Is(err, measure.ErrSyntax):
		f.Add(field, "not_a_number", "应为数字", "must be a number")
	case errors.Is(err, measure.ErrRange):
		f.Add(field, "out_of_range", "数值超出范围", "number out of range")
	case errors.Is(err, civil.ErrFormat):
		f.Add(field, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
	default:
		f.Add(field, "bad_value", "取值无效", "invalid value: "+msg)
	}
}

// newLike returns a pointer to a fresh zero value of dst's type.
func newLike(dst any) any {
	return reflect.New(reflect.TypeOf(dst).Elem()).Interface()
}

// MergePatch applies a JSON merge patch (RFC 7396, one level plus nested objects) to the
// current representation and decodes the result into dst, with strict field checks on the
// patch itself.
func MergePatch(current any, patch []byte, dst any) error {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(patch, &p); err != nil || p == nil {
		if err == nil {
			return apperr.New(apperr.BadRequest, "请求体须为 JSON 对象", "the request body must be a JSON object")
		}
		return malformed(err)
	}
	if err := DecodeStrict(patch, newLike(dst)); err != nil {
		return err
	}
	cur, err := json.Marshal(current)
	if err != nil {
		return err
	}
	var base map[string]json.RawMessage
	if err := json.Unmarshal(cur, &base); err != nil {
		return err
	}
	for k, v := range p {
		var sub map[string]json.RawMessage
		var baseSub map[string]json.RawMessage
		if json.Unmarshal(v, &sub) == nil && sub != nil && json.Unmarshal(base[k], &baseSub) == nil && baseSub != nil {
			for sk, sv := range sub {
				baseSub[sk] = sv
			}
			v, _ = json.Marshal(baseSub)
		}
		base[k] = v
	}
	merged, _ := json.Marshal(base)
	return json.Unmarshal(merged, dst)
}
