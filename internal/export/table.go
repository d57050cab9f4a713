// Package export writes a table as a spreadsheet a person works with: an Excel workbook whose
// numbers are numbers in their number formats, dates are dates, the header row is styled,
// frozen and filtered, columns are wide enough and sums are formulas; or a CSV with the same
// values as text. Text that a spreadsheet would run as a formula is neutralised in both.
package export

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/sheet"
)

// Kind is what a column holds, and so how its cells are written.
type Kind int

const (
	Text    Kind = iota // string
	Integer             // int, int64
	Yuan                // measure.Money, in 元 with two decimals
	Wan                 // measure.Money, in 万元
	Area                // measure.Area, in m²
	Price               // measure.Price, a unit price to 0.0001 元
	Percent             // float64, a ratio (0.853 is 85.3 %)
	Decimal             // float64 with two decimals
	Date                // civil.Date; the zero date is an empty cell
)

// InWan marks an amount the page shows in 万元, so that its column is written in 万元 too.
type InWan measure.Money

// Ratio marks a float as a share written as a percentage (0.5 is 50 %).
type Ratio float64

// KindOf is the kind of column a value belongs in: an amount is in 元 unless marked InWan, a
// float is a Decimal.
func KindOf(v any) Kind {
	switch v.(type) {
	case int, int64:
		return Integer
	case measure.Money:
		return Yuan
	case InWan:
		return Wan
	case measure.Area:
		return Area
	case measure.Price:
		return Price
	case civil.Date:
		return Date
	case float64:
		return Decimal
	case Ratio:
		return Percent
	}
	return Text
}

// Column is one column: its header (with its unit, as the reader should see it) and its kind.
type Column struct {
	Header string
	Kind   Kind
}

// Sum is a row under the table that adds columns up. It adds every row (an auto-filter narrows
// it in Excel), the rows whose Match column reads Only, or the rows whose Match column reads
// none of Except. In a workbook it is a formula with the exact total as its cached value.
type Sum struct {
	Label  string
	Match  int
	Only   string
	Except []string
	Of     []int // the columns added up: Integer, Yuan, Wan or Area
}

// Table is a titled table with optional sums and notes (lines of text under it).
type Table struct {
	Title   string
	Columns []Column
	Rows    [][]any
	Sums    []Sum
	Notes   []string
}

// includes reports whether row i counts towards s.
func (t Table) includes(s Sum, i int) bool {
	if s.Only == "" && len(s.Except) == 0 {
		return true
	}
	label, _ := t.Rows[i][s.Match].(string)
	if s.Only != "" {
		return label == s.Only
	}
	return !slices.Contains(s.Except, label)
}

// total adds column col over the rows s includes, exactly: money and areas in their integer
// steps.
func (t Table) total(s Sum, col int) any {
	sum := new(big.Int)
	for i, row := range t.Rows {
		if !t.includes(s, i) {
			continue
		}
		switch v := row[col].(type) {
		case measure.Money:
			sum.Add(sum, big.NewInt(int64(v)))
		case InWan:
			sum.Add(sum, big.NewInt(int64(v)))
		case measure.Area:
			sum.Add(sum, big.NewInt(int64(v)))
		case int:
			sum.Add(sum, big.NewInt(int64(v)))
		case int64:
			sum.Add(sum, big.NewInt(v))
		}
	}
	switch t.Columns[col].Kind {
	case Yuan, Wan:
		return measure.Money(sum.Int64())
	case Area:
		return measure.Area(sum.Int64())
	}
	return sum.Int64()
}

// sumRow is a sum's row of values, the label in the first column.
func (t Table) sumRow(s Sum) []any {
	row := make([]any, len(t.Columns))
	row[0] = s.Label
	for _, col := range s.Of {
		row[col] = t.total(s, col)
	}
	return row
}

// text writes a value as the CSV (and the width estimate) shows it.
func text(kind Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return sheet.SafeText(x)
	case measure.Money:
		if kind == Wan {
			return x.Wan()
		}
		return x.Fixed()
	case InWan:
		return measure.Money(x).Wan()
	case measure.Area:
		return x.String()
	case measure.Price:
		return x.String()
	case civil.Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case Ratio:
		return strconv.FormatFloat(float64(x)*100, 'f', 1, 64) + "%"
	case float64:
		if kind == Percent {
			return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return sheet.SafeText(fmt.Sprint(v))
}
