package httpin

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// Query reads query-string (or form) parameters, collecting a field error for each bad one.
type Query struct {
	v      url.Values
	fields apperr.Fields
}

// NewQuery reads values such as r.URL.Query() or r.Form.
func NewQuery(v url.Values) *Query { return &Query{v: v} }

func (q *Query) Str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

func (q *Query) Date(name string) civil.Date {
	s := q.Str(name)
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		q.fields.Add(name, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	return d
}

func (q *Query) BoolPtr(name string) *bool {
	s := q.Str(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.fields.Add(name, "bad_bool", "应为 true 或 false", "must be true or false")
		return nil
	}
	return &b
}

func (q *Query) Area(name string) measure.Area {
	s := q.Str(name)
	if s == "" {
		return 0
	}
	a, err := measure.ParseArea(s)
	if err != nil || a < 0 {
		q.fields.Add(name, "bad_area", "面积应为不超过两位小数的非负数", "area must be a non-negative number with at most two decimals")
	}
	return a
}

func (q *Query) Int(name string) int {
	s := q.Str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.fields.Add(name, "bad_int", "应为整数", "must be an integer")
	}
	return n
}

// page reads limit, cursor and sort ("name" or "-name" for descending).
func (q *Query) Page() page.Request {
	sort := q.Str("sort")
	desc := strings.HasPrefix(sort, "-")
	return page.Request{Sort: strings.TrimPrefix(sort, "-"), Desc: desc, Cursor: q.Str("cursor"), Limit: q.Int("limit")}
}

// OneOf reads a value that must be one of allowed; "" when absent.
func (q *Query) OneOf(name string, allowed ...string) string {
	v := q.Str(name)
	if v != "" && !slices.Contains(allowed, v) {
		list := strings.Join(allowed, " | ")
		q.fields.Add(name, "unknown_value", "可选值为 "+list, "must be one of "+list)
	}
	return v
}

// Require records that a parameter is missing when v is empty.
func (q *Query) Require(name, v string) {
	if v == "" {
		q.fields.Required(name)
	}
}

func (q *Query) Err() error { return q.fields.Err() }
