// Package sheet reads the spreadsheets parks already keep — xlsx workbooks and CSV files saved by
// Chinese Excel — into plain rows of text, finds the header row among title rows and synonyms,
// and turns cells into exact values despite the quirks real files carry: numbers stored as text,
// thousands separators, full-width digits, 万元 columns, dates as serial numbers or as text.
package sheet

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// CellError says what is wrong with one cell's text, in both languages. The caller adds the row
// and column.
type CellError struct {
	Code      string
	MessageZh string
	MessageEn string
}

func (e *CellError) Error() string { return e.Code + ": " + e.MessageEn }

var (
	errNotNumber  = &CellError{"not_number", "不是数字", "not a number"}
	errPrecision  = &CellError{"too_precise", "小数位数过多", "too many decimal places"}
	errRange      = &CellError{"out_of_range", "数值超出范围", "number out of range"}
	errNotInteger = &CellError{"not_integer", "应为整数", "must be a whole number"}
	errNotDate    = &CellError{"not_date", "不是日期（可写 2024-01-05、2024/1/5 或 2024年1月5日）", "not a date (write 2024-01-05, 2024/1/5 or 2024年1月5日)"}
)

// Clean narrows full-width characters (１２３, ＡＢＣ, the ideographic space) to their ASCII
// forms, drops zero-width and no-break spaces, and trims. Chinese characters are kept as they are.
func Clean(s string) string {
	if isASCII(s) { // nothing to narrow or map: most cells of a report
		return Unquote(strings.TrimSpace(s))
	}
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u3000':
			return ' '
		case '\u200b', '\ufeff':
			return -1
		}
		return r
	}, s)
	return Unquote(strings.TrimSpace(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Unquote takes off the apostrophe SafeText put before text a spreadsheet would run as a
// formula; other text is as it is.
func Unquote(s string) string {
	if len(s) > 1 && s[0] == '\'' && SafeText(s[1:]) == s {
		return s[1:]
	}
	return s
}

// Number reads a cell as a plain decimal string ("-1234.5"), accepting thousands separators
// (1,234 / 1，234 / 1 234), full-width digits, a trailing 元, and the exponent form a workbook
// may store ("1.2345E+7"). An empty cell is "" with no error.
func Number(s string) (string, error) {
	s = Clean(s)
	if s == "" {
		return "", nil
	}
	s = strings.TrimSuffix(s, "元")
	s = strings.Map(func(r rune) rune {
		if r == ',' || r == ' ' || r == '\'' {
			return -1
		}
		return r
	}, s)
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", errNotNumber
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" || body == "." {
		return "", errNotNumber
	}
	intPart, frac, _ := strings.Cut(body, ".")
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return "", errNotNumber
		}
	}
	if intPart == "" {
		s = strings.Replace(s, ".", "0.", 1)
	}
	return strings.TrimPrefix(strings.TrimSuffix(s, "."), "+"), nil
}

// Money reads an amount into fen. inWan says the column is in 万元 (its header says so), so
// "12.5" means 125,000 元.
func Money(s string, inWan bool) (measure.Money, bool, error) {
	n, err := Number(s)
	if err != nil || n == "" {
		return 0, false, err
	}
	if inWan {
		n = shiftPoint(n, 4)
	}
	m, err := measure.ParseYuan(n)
	if err != nil {
		return 0, false, measureError(err)
	}
	return m, true, nil
}

// Decimal reads a number with the sheet's tolerance and hands it to parse, one of measure's
// exact parsers (areas, prices, loads), so a value with too many places is refused, not rounded.
func Decimal[T ~int64](s string, parse func(string) (T, error)) (T, bool, error) {
	n, err := Number(s)
	if err != nil || n == "" {
		return 0, false, err
	}
	v, err := parse(n)
	if err != nil {
		return 0, false, measureError(err)
	}
	return v, true, nil
}

// Integer reads a count such as headcount or patents; "12.0" is 12, "12.5" is an error.
func Integer(s string) (int64, bool, error) {
	n, err := Number(s)
	if err != nil || n == "" {
		return 0, false, err
	}
	intPart, frac, _ := strings.Cut(n, ".")
	if strings.Trim(frac, "0") != "" {
		return 0, false, errNotInteger
	}
	v, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, false, errRange
	}
	return v, true, nil
}

// Date reads a date written as an Excel serial number (45296 is 2024-01-05) or as text:
// 2024-01-05, 2024/1/5, 2024.1.5 or 2024年1月5日.
func Date(s string) (civil.Date, bool, error) {
	s = Clean(s)
	if s == "" {
		return civil.Date{}, false, nil
	}
	if d, ok := serialDate(s); ok {
		return d, true, nil
	}
	t := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	if head, _, ok := strings.Cut(t, " "); ok {
		t = head // a time of day after the date
	}
	parts := strings.Split(t, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return civil.Date{}, false, errNotDate
	}
	var ymd [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 || v < 0 {
			return civil.Date{}, false, errNotDate
		}
		ymd[i] = v
	}
	d, err := civil.Parse(strconv.Itoa(ymd[0]) + "-" + pad2(ymd[1]) + "-" + pad2(ymd[2]))
	if err != nil {
		return civil.Date{}, false, errNotDate
	}
	return d, true, nil
}

// serialDate reads Excel's 1900 date system: day 1 is 1900-01-01 and the system counts a
// 29 February 1900 that never was, so days from 61 on are days since 1899-12-30. A fraction is
// a time of day and is dropped. Serials before 1 March 1900 or after 9999 are not dates.
func serialDate(s string) (civil.Date, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 7 {
		return civil.Date{}, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return civil.Date{}, false
		}
	}
	n, _ := strconv.Atoi(whole)
	if n < 61 || n > 2958465 {
		return civil.Date{}, false
	}
	return civil.Of(1899, 12, 30).AddDays(n), true
}

func pad2(v int) string {
	if v < 10 {
		return "0" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}

// shiftPoint multiplies a plain decimal string by 10^places without floating point.
func shiftPoint(n string, places int) string {
	sign := ""
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	intPart, frac, _ := strings.Cut(n, ".")
	frac += strings.Repeat("0", places)
	intPart += frac[:places]
	frac = frac[places:]
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		return sign + intPart + "." + frac
	}
	return sign + intPart
}

func measureError(err error) *CellError {
	switch err {
	case measure.ErrPrecision:
		return errPrecision
	case measure.ErrRange:
		return errRange
	}
	return errNotNumber
}

// SafeText neutralises a CSV text cell that a spreadsheet would run as a formula: one starting
// with = + @, a tab, a carriage return or a line feed, or with - when it is not a plain decimal
// number ("-1e5" and "-2-2" are formulas to Excel), gets a leading apostrophe, which
// spreadsheets show as text and Unquote takes off again on import.
func SafeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r', '\n':
		return "'" + s
	case '-':
		if !negativeDecimal.MatchString(s) {
			return "'" + s
		}
	}
	return s
}

var negativeDecimal = regexp.MustCompile(`^-[0-9]+(\.[0-9]+)?$`)

// SafeCell neutralises a workbook text cell. A text cell of a workbook is never calculated, but
// Excel turns one starting with = + @ (or a tab, CR or LF) into a formula when it is edited, so
// those get the apostrophe; a leading minus is left as it is (a unit code such as -2-01).
func SafeCell(s string) string {
	if s != "" && strings.IndexByte("=+@\t\r\n", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
