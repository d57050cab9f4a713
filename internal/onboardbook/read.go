package onboardbook

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/sheet"
)

// layout is where one sheet of an upload keeps its columns.
type layout struct {
	table  table
	header sheet.Header
	names  []string // the header row's cells
}

// Parsed is an upload read: its rows, every problem found while reading, and the layout of
// each sheet, to place the store's problems on cells.
type Parsed struct {
	Batch    onboard.Batch
	Problems []sheet.Problem
	layouts  map[string]layout
}

// Read reads an onboarding workbook, or a CSV of one kind of record. Sheets are recognised by
// name (园区, 楼宇, …, or the English names) or else by their headers; entity, when set, says
// what a CSV or a single unnamed sheet holds. Sheets that are neither, such as a read-me, are
// skipped.
func Read(data []byte, lim sheet.Limits, entity string) (Parsed, error) {
	if _, known := tableFor(entity); entity != "" && !known {
		return Parsed{}, unknownEntity(entity)
	}
	tabs, err := sheet.Read(data, lim)
	if err != nil {
		return Parsed{}, err
	}
	out := Parsed{layouts: map[string]layout{}}
	for _, tab := range tabs {
		t, ok := recognise(tab, entity, len(tabs) == 1)
		if !ok {
			continue
		}
		out.readTable(tab, t)
	}
	if len(out.layouts) == 0 {
		return out, apperr.New(apperr.Invalid, "文件中没有可识别的工作表：工作表名应为园区、楼宇、楼层、房源单元、企业、企业资质、入驻记录、租赁合同或合同单元，或表头与导出文件一致",
			"no sheet in the file could be recognised: name sheets Parks, Buildings, Floors, Units, Enterprises, Qualifications, Residencies, Contracts or Contract units, or use the export's headers")
	}
	return out, nil
}

// recognise finds the table a sheet holds: by its name, by the caller's word for a lone sheet,
// or by the table whose columns its header names best.
func recognise(tab sheet.Table, entity string, alone bool) (table, bool) {
	name := strings.ToLower(sheet.Clean(tab.Sheet))
	for _, t := range tables {
		if name == t.zh || name == strings.ToLower(t.en) || name == t.entity {
			return t, true
		}
	}
	if entity != "" {
		t, ok := tableFor(entity)
		return t, ok && alone
	}
	var best table
	bestScore := 0
	for _, t := range tables {
		h, missing := sheet.FindHeader(tab.Rows, t.sheetColumns())
		if len(missing) > 0 {
			continue
		}
		// The share of the table's columns found, so that a units sheet is not taken for floors.
		if score := 1000 * len(h.Column) / len(t.cols); score > bestScore {
			best, bestScore = t, score
		}
	}
	return best, bestScore > 0
}

func (p *Parsed) readTable(tab sheet.Table, t table) {
	h, missing := sheet.FindHeader(tab.Rows, t.sheetColumns())
	if h.Row < 0 {
		h.Row = 0
	}
	var names []string
	if h.Row < len(tab.Rows) {
		names = tab.Rows[h.Row]
	}
	p.layouts[tab.Sheet] = layout{table: t, header: h, names: names}
	for _, m := range missing {
		p.Problems = append(p.Problems, sheet.Problem{Sheet: tab.Sheet, Row: h.Row + 1, Column: "A", Header: m.Header, Code: "missing_column",
			MessageZh: fmt.Sprintf("缺少“%s”列", m.Header), MessageEn: fmt.Sprintf("the %q (%s) column is missing", m.Header, m.English)})
	}
	if len(missing) > 0 {
		return
	}
	rows := reflect.ValueOf(t.rows(&p.Batch)).Elem()
	seen := map[string]int{}
	for i := h.Row + 1; i < len(tab.Rows); i++ {
		raw := tab.Rows[i]
		if blank(raw) {
			continue
		}
		if row, ok := p.readRow(tab.Sheet, t, h, names, raw, i+1, seen); ok {
			rows.Set(reflect.Append(rows, row))
		}
	}
}

// readRow reads one row into the table's row type, reporting each bad cell, missing required
// cell and repeated key; a row with problems is left out of the batch.
func (p *Parsed) readRow(sheetName string, t table, h sheet.Header, names, raw []string, rowNo int, seen map[string]int) (reflect.Value, bool) {
	row := reflect.New(t.rowType()).Elem()
	ref := onboard.Ref{Sheet: sheetName, Row: rowNo, Present: map[string]bool{}}
	cellText := map[string]string{}
	ok := true
	bad := func(key, code, zh, en string) {
		ok = false
		p.Problems = append(p.Problems, placed(sheetName, rowNo, h.Column[key], names, code, zh, en))
	}
	for _, c := range t.cols {
		j, found := h.Column[c.Key]
		if !found {
			continue
		}
		ref.Present[c.Key] = true
		text := ""
		if j < len(raw) {
			text = raw[j]
		}
		cellText[c.Key] = sheet.Clean(text)
		if c.Required && cellText[c.Key] == "" {
			bad(c.Key, "required", "“"+c.Header+"”为必填项", c.English+" is required")
			continue
		}
		f, _ := onboard.Field(row, c.Key)
		if ce := c.read(f, text, h.Wan[c.Key] || (c.wan && !hasUnit(names, j))); ce != nil {
			bad(c.Key, ce.Code, ce.MessageZh, ce.MessageEn)
		}
	}
	if key := rowKey(t, cellText); ok && key != "" {
		if first, dup := seen[key]; dup {
			bad(keyColumn(t, cellText), "duplicate", fmt.Sprintf("与第 %d 行重复", first), fmt.Sprintf("repeats row %d", first))
		} else {
			seen[key] = rowNo
		}
	}
	row.FieldByName("Ref").Set(reflect.ValueOf(ref))
	return row, ok
}

// rowKey joins the cells that identify a row; "a|b" takes the first of a and b that is filled.
func rowKey(t table, cells map[string]string) string {
	parts := make([]string, len(t.key))
	for i, k := range t.key {
		for alt := range strings.SplitSeq(k, "|") {
			if parts[i] = cells[alt]; parts[i] != "" {
				break
			}
		}
	}
	return strings.Join(parts, "\x00")
}

// keyColumn is the first identifying column a duplicate is reported on.
func keyColumn(t table, cells map[string]string) string {
	for alt := range strings.SplitSeq(t.key[0], "|") {
		if cells[alt] != "" {
			return alt
		}
	}
	return strings.Split(t.key[0], "|")[0]
}

func placed(sheetName string, row, col int, names []string, code, zh, en string) sheet.Problem {
	header := ""
	if col >= 0 && col < len(names) {
		header, _ = sheet.SplitUnit(names[col])
	}
	return sheet.Problem{Sheet: sheetName, Row: row, Column: sheet.ColumnName(col), Header: header, Code: code, MessageZh: zh, MessageEn: en}
}

// fieldAliases name the column a store field error is about when the names differ.
var fieldAliases = map[string]string{
	"park_id": "park_code", "building_id": "building_code", "floor_id": "floor_level", "enterprise_id": "enterprise_credit_code",
	"unit_ids": "unit_codes", "units": "unit_codes", "renewal_of": "renewal_of_number",
}

// Place puts a problem the store found on its row and the column of the field at fault; a
// problem with the row as a whole goes on the row's first identifying column.
func (p Parsed) Place(rp onboard.RowProblem) sheet.Problem {
	l := p.layouts[rp.Sheet]
	field, _, _ := strings.Cut(rp.Field, "[") // units[0].unit_id is about the units
	col, ok := l.header.Column[field]
	if !ok {
		col, ok = l.header.Column[fieldAliases[field]]
	}
	if !ok && len(l.table.key) > 0 {
		col = l.header.Column[strings.Split(l.table.key[0], "|")[0]]
	}
	return placed(rp.Sheet, rp.Row, col, l.names, rp.Code, rp.MessageZh, rp.MessageEn)
}

func hasUnit(names []string, col int) bool {
	if col < 0 || col >= len(names) {
		return false
	}
	_, unit := sheet.SplitUnit(names[col])
	return unit != ""
}

func blank(row []string) bool {
	for _, c := range row {
		if sheet.Clean(c) != "" {
			return false
		}
	}
	return true
}
