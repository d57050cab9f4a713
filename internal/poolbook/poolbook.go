// Package poolbook reads the authority's initial park pool from a workbook or CSV: one row per
// park, by its code, with its entry date, tier, reason and featured years. Bad cells come back by
// row and column; the rows go to the pool service, which applies them all or none.
package poolbook

import (
	"context"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/sheet"
)

// Columns are the columns the pool workbook understands.
var Columns = []sheet.Column{
	{Key: "park_code", Header: "园区编码", English: "Park code", Synonyms: []string{"编码"}, Required: true},
	{Key: "entered_on", Header: "入库日期", English: "Entered on", Required: true},
	{Key: "tier", Header: "梯队", English: "Tier", Required: true},
	{Key: "reason", Header: "理由", English: "Reason", Synonyms: []string{"入库理由"}, Required: true},
	{Key: "featured_years", Header: "特色产业园认定年度", English: "Featured years", Synonyms: []string{"认定年度"}},
}

var tierNames = map[string]pool.Tier{"规划布局": pool.Planning, "储备培育": pool.Reserve, "重点打造": pool.Key,
	"planning": pool.Planning, "reserve": pool.Reserve, "key": pool.Key}

// Parsed is an upload read: its good rows, its bad cells, and where each column is (to name the
// column of a problem the service finds).
type Parsed struct {
	Sheet    string
	Rows     []pool.ImportRow
	Problems []sheet.Problem
	Header   sheet.Header
}

// Read reads the first sheet that has the pool's columns.
func Read(data []byte, lim sheet.Limits) (Parsed, error) {
	tables, err := sheet.Read(data, lim)
	if err != nil {
		return Parsed{}, err
	}
	var p Parsed
	var missing []sheet.Column
	for _, t := range tables {
		h, miss := sheet.FindHeader(t.Rows, Columns)
		if h.Row < 0 {
			missing = miss
			continue
		}
		p.Sheet, p.Header = t.Sheet, h
		for i := h.Row + 1; i < len(t.Rows); i++ {
			p.row(t.Rows[i], i+1)
		}
		return p, nil
	}
	names := make([]string, len(missing))
	for i, c := range missing {
		names[i] = c.Header
	}
	p.Problems = append(p.Problems, sheet.Problem{Row: 1, Code: "missing_column", MessageZh: "缺少列：" + strings.Join(names, "、"),
		MessageEn: "missing columns: " + strings.Join(names, ", ")})
	return p, nil
}

func (p *Parsed) cell(cells []string, key string) string {
	i, ok := p.Header.Column[key]
	if !ok || i >= len(cells) {
		return ""
	}
	return sheet.Clean(cells[i])
}

func (p *Parsed) problem(row int, key, code, zh, en string) {
	col := ""
	if i, ok := p.Header.Column[key]; ok {
		col = sheet.ColumnName(i)
	}
	header := key
	for _, c := range Columns {
		if c.Key == key {
			header = c.Header
		}
	}
	p.Problems = append(p.Problems, sheet.Problem{Sheet: p.Sheet, Row: row, Column: col, Header: header, Code: code, MessageZh: zh, MessageEn: en})
}

// row reads one data row; a blank row is skipped.
func (p *Parsed) row(cells []string, row int) {
	if strings.TrimSpace(strings.Join(cells, "")) == "" {
		return
	}
	r := pool.ImportRow{Row: row, ParkCode: p.cell(cells, "park_code"), Reason: p.cell(cells, "reason")}
	before := len(p.Problems)
	if r.ParkCode == "" {
		p.problem(row, "park_code", "required", "请填写园区编码", "a park code is required")
	}
	if d, ok, err := sheet.Date(p.cell(cells, "entered_on")); err != nil || !ok {
		p.problem(row, "entered_on", "not_date", "入库日期应为日期，如 2024-03-01", "the entry date must be a date, as in 2024-03-01")
	} else {
		r.EnteredOn = d
	}
	if t, ok := tierNames[strings.ToLower(p.cell(cells, "tier"))]; ok {
		r.Tier = t
	} else {
		p.problem(row, "tier", "invalid", "梯队应为 规划布局、储备培育 或 重点打造", "the tier must be 规划布局, 储备培育 or 重点打造 (planning, reserve, key)")
	}
	// Clean has narrowed 、 to ､ and ， to ,.
	for _, part := range strings.FieldsFunc(p.cell(cells, "featured_years"), func(r rune) bool { return r == ',' || r == '､' || r == '、' || r == ' ' }) {
		y, err := strconv.Atoi(part)
		if err != nil || y < 2000 || y > 2100 {
			p.problem(row, "featured_years", "invalid", "认定年度应为 2000–2100 的年份，以顿号分隔", "featured years must be years 2000–2100, separated by commas")
			break
		}
		r.FeaturedYears = append(r.FeaturedYears, y)
	}
	if len(p.Problems) == before {
		p.Rows = append(p.Rows, r)
	}
}

// Column names the column of a field the service refused.
func (p Parsed) Column(field string) (string, string) {
	key := field
	if field == "featured_years" || strings.HasPrefix(field, "year") {
		key = "featured_years"
	}
	for _, c := range Columns {
		if c.Key == key {
			if i, ok := p.Header.Column[key]; ok {
				return sheet.ColumnName(i), c.Header
			}
			return "", c.Header
		}
	}
	return "", field
}

// Result is what an upload did or, in a dry run, would do.
type Result struct {
	Committed bool            `json:"committed"`
	Entered   int             `json:"entered"`
	Problems  []sheet.Problem `json:"problems"`
}

// Import reads an initial-pool upload and applies it through the pool service, all or nothing:
// cells the reader refuses and rows the service refuses come back as problems by row and column.
func Import(ctx context.Context, svc *pool.Service, sc identity.Scope, data []byte, lim sheet.Limits, dryRun bool) (Result, error) {
	p, err := Read(data, lim)
	if err != nil {
		return Result{}, err
	}
	entered, refused, err := svc.Import(ctx, sc, p.Rows, dryRun || len(p.Problems) > 0)
	if err != nil {
		return Result{}, err
	}
	for _, r := range refused {
		col, header := p.Column(r.Field)
		p.Problems = append(p.Problems, sheet.Problem{Sheet: p.Sheet, Row: r.Row, Column: col, Header: header, Code: "refused",
			MessageZh: r.MessageZh, MessageEn: r.MessageEn})
	}
	res := Result{Entered: entered, Problems: p.Problems, Committed: !dryRun && len(p.Problems) == 0}
	if res.Problems == nil {
		res.Problems = []sheet.Problem{}
	}
	return res, nil
}
