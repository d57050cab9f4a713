package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/sheet"
)

// WriteCSV writes the table as UTF-8 CSV with a byte-order mark (Excel on Chinese Windows needs
// it): the header, the rows, the sums with their totals and the notes.
func (t Table) WriteCSV(w io.Writer) error {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = sheet.SafeText(c.Header)
	}
	_ = cw.Write(header)
	write := func(row []any) {
		rec := make([]string, len(t.Columns))
		for i := range rec {
			if i < len(row) {
				rec[i] = text(t.Columns[i].Kind, row[i])
			}
		}
		_ = cw.Write(rec)
	}
	for _, row := range t.Rows {
		write(row)
	}
	for _, s := range t.Sums {
		write(t.sumRow(s))
	}
	for _, n := range t.Notes {
		write([]any{n})
	}
	cw.Flush()
	return cw.Error()
}

// numberFormats are the Excel formats of each kind of column.
var numberFormats = map[Kind]string{
	Integer: "#,##0",
	Yuan:    "#,##0.00",
	Wan:     "#,##0.00",
	Area:    "#,##0.00",
	Price:   "#,##0.00##",
	Percent: "0.0%",
	Decimal: "#,##0.00",
	Date:    "yyyy-mm-dd",
}

// styles are the workbook's cell styles: one per kind for the body and for sum rows, and the
// header's.
type styles struct {
	header     int
	body, sums map[Kind]int
}

func newStyles(x *excelize.File) (styles, error) {
	st := styles{body: map[Kind]int{}, sums: map[Kind]int{}}
	var err error
	st.header, err = x.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "4F81BD", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return st, err
	}
	for _, kind := range []Kind{Text, Integer, Yuan, Wan, Area, Price, Percent, Decimal, Date} {
		var numFmt *string
		if f, ok := numberFormats[kind]; ok {
			numFmt = &f
		}
		if st.body[kind], err = x.NewStyle(&excelize.Style{CustomNumFmt: numFmt}); err != nil {
			return st, err
		}
		if st.sums[kind], err = x.NewStyle(&excelize.Style{CustomNumFmt: numFmt, Font: &excelize.Font{Bold: true},
			Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}); err != nil {
			return st, err
		}
	}
	return st, nil
}

// cellValue is a value as the workbook stores it: numbers in their unit, dates as dates.
func cellValue(kind Kind, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return sheet.SafeCell(x)
	case measure.Money:
		if kind == Wan {
			return float64(x) / 1e6
		}
		return float64(x) / 100
	case InWan:
		return float64(x) / 1e6
	case Ratio:
		return float64(x)
	case measure.Area:
		return float64(x) / 100
	case measure.Price:
		return float64(x) / 10000
	case civil.Date:
		if x.IsZero() {
			return nil
		}
		return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
	}
	return v
}

// WriteXLSX writes the table as one sheet named after its title.
func (t Table) WriteXLSX(w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	name := sheetName(t.Title)
	if err := x.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	if err := x.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, width := range t.widths() {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: st.header, Value: sheet.SafeCell(c.Header)}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	r := 2
	for _, row := range t.Rows {
		cells := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			cells[i] = excelize.Cell{StyleID: st.body[c.Kind], Value: cellValue(c.Kind, v)}
		}
		if err := setRow(sw, r, cells); err != nil {
			return err
		}
		r++
	}
	for _, s := range t.Sums {
		values := t.sumRow(s)
		cells := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			cell := excelize.Cell{StyleID: st.sums[c.Kind], Value: cellValue(c.Kind, values[i])}
			if i > 0 && values[i] != nil && len(t.Rows) > 0 { // over no rows a range would name the sum itself
				cell.Formula = t.formula(s, i)
			}
			cells[i] = cell
		}
		if err := setRow(sw, r, cells); err != nil {
			return err
		}
		r++
	}
	for _, n := range t.Notes {
		if err := setRow(sw, r, []any{sheet.SafeCell(n)}); err != nil {
			return err
		}
		r++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}

func setRow(sw *excelize.StreamWriter, r int, cells []any) error {
	addr, _ := excelize.CoordinatesToCellName(1, r)
	return sw.SetRow(addr, cells)
}

// formula is the sum's formula for column col over the table's rows.
func (t Table) formula(s Sum, col int) string {
	first, lastRow := 2, len(t.Rows)+1
	rng := func(c int) string {
		name, _ := excelize.ColumnNumberToName(c + 1)
		return fmt.Sprintf("%s%d:%s%d", name, first, name, lastRow)
	}
	quote := func(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }
	switch {
	case s.Only != "":
		return fmt.Sprintf("SUMIF(%s,%s,%s)", rng(s.Match), quote(s.Only), rng(col))
	case len(s.Except) > 0:
		f := "SUMIFS(" + rng(col)
		for _, v := range s.Except {
			f += "," + rng(s.Match) + "," + quote("<>"+v)
		}
		return f + ")"
	}
	return fmt.Sprintf("SUBTOTAL(9,%s)", rng(col))
}

// widths fits each column to its header and its longest value, counting a CJK character as
// two, between 6 and 60 characters.
func (t Table) widths() []float64 {
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = displayWidth(c.Header)
	}
	for n, row := range t.Rows {
		if n == 2000 { // enough to see the shape of a column
			break
		}
		for i := range t.Columns {
			if i < len(row) {
				out[i] = max(out[i], displayWidth(text(t.Columns[i].Kind, row[i]))+2)
			}
		}
	}
	for i := range out {
		out[i] = min(max(out[i]+2, 6), 60)
	}
	return out
}

func displayWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || utf8.RuneLen(r) >= 3 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// sheetName makes a title a valid sheet name: at most 31 characters, none of : \ / ? * [ ],
// not starting or ending with an apostrophe, and not History, which Excel keeps for itself.
func sheetName(title string) string {
	title = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, title)
	if r := []rune(title); len(r) > 31 {
		title = string(r[:31])
	}
	title = strings.Trim(title, "'")
	switch {
	case title == "":
		return "Sheet1"
	case strings.EqualFold(title, "History"):
		return title + "_"
	}
	return title
}
