package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// query reads query-string parameters, collecting a field error for each bad one.
type query struct {
	v      url.Values
	fields apperr.Fields
}

func (q *query) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

func (q *query) date(name string) civil.Date {
	s := q.str(name)
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		q.fields.Add(name, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	return d
}

func (q *query) boolPtr(name string) *bool {
	s := q.str(name)
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

func (q *query) area(name string) measure.Area {
	s := q.str(name)
	if s == "" {
		return 0
	}
	a, err := measure.ParseArea(s)
	if err != nil || a < 0 {
		q.fields.Add(name, "bad_area", "面积应为不超过两位小数的非负数", "area must be a non-negative number with at most two decimals")
	}
	return a
}

func (q *query) int(name string) int {
	s := q.str(name)
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
func (q *query) page() page.Request {
	sort := q.str("sort")
	desc := strings.HasPrefix(sort, "-")
	return page.Request{Sort: strings.TrimPrefix(sort, "-"), Desc: desc, Cursor: q.str("cursor"), Limit: q.int("limit")}
}

func (q *query) err() error { return q.fields.Err() }

// pageParams documents the pagination parameters every list takes.
var pageParams = []param{
	{"limit", "integer", "每页条数 1–500，默认 50 / page size 1–500, default 50"},
	{"cursor", "string", "上一页返回的 next_cursor / next_cursor of the previous page"},
	{"sort", "string", "排序字段，前加 - 为降序 / sort key, prefix - for descending"},
}

func describeSorts(keys ...string) param {
	return param{"sort", "string", fmt.Sprintf("排序 / sort: %s（前加 - 为降序 / prefix - for descending）", strings.Join(keys, ", "))}
}
