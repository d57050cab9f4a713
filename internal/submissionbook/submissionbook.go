// Package submissionbook reads parks' own yearly figures (§6: parks whose operators are not on
// the platform) from a workbook or CSV: one row per park and year, by park code, with the §3
// measures (amounts in 元, or in 万元 when the header says so). Bad cells come back by row and
// column; the rows go to the indicator service, which applies them all or none.
package submissionbook

import (
	"context"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

// Columns: the park, the year, then one column per §3 measure under its Chinese name.
var Columns = func() []sheet.Column {
	cols := []sheet.Column{
		{Key: "park_code", Header: "园区编码", English: "Park code", Synonyms: []string{"编码"}, Required: true},
		{Key: "year", Header: "年度", English: "Year", Synonyms: []string{"年份"}, Required: true},
	}
	for _, m := range stats.Measures {
		cols = append(cols, sheet.Column{Key: m.Key, Header: m.Zh, English: m.En, Required: m.Key == "revenue"})
	}
	return cols
}()

// Result is what an upload did or, in a dry run, would do.
type Result struct {
	Committed bool            `json:"committed"`
	Rows      int             `json:"rows"`
	Problems  []sheet.Problem `json:"problems"`
}

type reader struct {
	sheet    string
	header   sheet.Header
	rows     []indicator.SubmissionRow
	problems []sheet.Problem
}

func (r *reader) column(key string) (string, string) {
	for _, c := range Columns {
		if c.Key == key {
			if i, ok := r.header.Column[key]; ok {
				return sheet.ColumnName(i), c.Header
			}
			return "", c.Header
		}
	}
	return "", key
}

func (r *reader) problem(row int, key, code, zh, en string) {
	col, header := r.column(key)
	r.problems = append(r.problems, sheet.Problem{Sheet: r.sheet, Row: row, Column: col, Header: header, Code: code, MessageZh: zh, MessageEn: en})
}

func (r *reader) cell(cells []string, key string) string {
	i, ok := r.header.Column[key]
	if !ok || i >= len(cells) {
		return ""
	}
	return sheet.Clean(cells[i])
}

func (r *reader) row(cells []string, row int) {
	if strings.TrimSpace(strings.Join(cells, "")) == "" {
		return
	}
	before := len(r.problems)
	out := indicator.SubmissionRow{Row: row, ParkCode: r.cell(cells, "park_code")}
	out.Figures = stats.Figures{}
	if out.ParkCode == "" {
		r.problem(row, "park_code", "required", "请填写园区编码", "a park code is required")
	}
	if y, err := strconv.Atoi(r.cell(cells, "year")); err != nil {
		r.problem(row, "year", "not_integer", "年度应为整数年份，如 2025", "the year must be a whole year, as in 2025")
	} else {
		out.Year = y
	}
	for _, m := range stats.Measures {
		text := r.cell(cells, m.Key)
		if text == "" {
			continue
		}
		if m.Money {
			v, ok, err := sheet.Money(text, r.header.Wan[m.Key])
			if err != nil || !ok {
				r.problem(row, m.Key, "not_number", "应为金额", "must be an amount")
				continue
			}
			out.Figures[m.Key] = int64(v)
			continue
		}
		v, ok, err := sheet.Integer(text)
		if err != nil || !ok {
			r.problem(row, m.Key, "not_integer", "应为整数", "must be a whole number")
			continue
		}
		out.Figures[m.Key] = v
	}
	if len(r.problems) == before {
		r.rows = append(r.rows, out)
	}
}

// Import reads an upload and applies it through the indicator service, all or nothing.
func Import(ctx context.Context, svc *indicator.Service, sc identity.Scope, data []byte, lim sheet.Limits, dryRun bool) (Result, error) {
	tables, err := sheet.Read(data, lim)
	if err != nil {
		return Result{}, err
	}
	r := &reader{}
	found := false
	for _, t := range tables {
		h, _ := sheet.FindHeader(t.Rows, Columns)
		if h.Row < 0 {
			continue
		}
		r.sheet, r.header, found = t.Sheet, h, true
		for i := h.Row + 1; i < len(t.Rows); i++ {
			r.row(t.Rows[i], i+1)
		}
		break
	}
	if !found {
		r.problems = append(r.problems, sheet.Problem{Row: 1, Code: "missing_column", MessageZh: "缺少列：园区编码、年度、营业收入",
			MessageEn: "missing columns: 园区编码, 年度, 营业收入"})
	}
	refused, err := svc.SubmitAll(ctx, sc, r.rows, dryRun || len(r.problems) > 0)
	if err != nil {
		return Result{}, err
	}
	for _, p := range refused {
		key := strings.TrimPrefix(p.Field, "figures.")
		col, header := r.column(key)
		r.problems = append(r.problems, sheet.Problem{Sheet: r.sheet, Row: p.Row, Column: col, Header: header, Code: "refused",
			MessageZh: p.MessageZh, MessageEn: p.MessageEn})
	}
	res := Result{Rows: len(r.rows), Problems: r.problems, Committed: !dryRun && len(r.problems) == 0}
	if res.Problems == nil {
		res.Problems = []sheet.Problem{}
	}
	return res, nil
}
