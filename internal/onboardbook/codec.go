package onboardbook

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/sheet"
)

var (
	areaType     = reflect.TypeFor[measure.Area]()
	moneyType    = reflect.TypeFor[measure.Money]()
	priceType    = reflect.TypeFor[measure.Price]()
	decimalType  = reflect.TypeFor[measure.Decimal2]()
	dateType     = reflect.TypeFor[civil.Date]()
	periodsType  = reflect.TypeFor[[]leasing.Period]()
	stepsType    = reflect.TypeFor[[]leasing.Step]()
	stringsType  = reflect.TypeFor[[]string]()
	listSplitter = strings.NewReplacer("，", "、", ",", "、", "；", "、", ";", "、", "\n", "、")
)

func cellErr(code, zh, en string) *sheet.CellError {
	return &sheet.CellError{Code: code, MessageZh: zh, MessageEn: en}
}

// read sets the field from a cell's text; wan says a money column is in 万元.
func (c column) read(f reflect.Value, text string, wan bool) *sheet.CellError {
	t := f.Type()
	var err error
	switch {
	case c.choices != nil:
		return c.readChoice(f, text)
	case c.percent:
		var v measure.Decimal2
		if v, _, err = sheet.Decimal(text, measure.ParseDecimal2); err == nil {
			f.SetInt(int64(v))
		}
	case t == areaType:
		err = setDecimal(f, text, measure.ParseArea)
	case t == priceType:
		err = setDecimal(f, text, measure.ParsePrice)
	case t == decimalType:
		err = setDecimal(f, text, measure.ParseDecimal2)
	case t == moneyType:
		var v measure.Money
		if v, _, err = sheet.Money(text, wan); err == nil {
			f.SetInt(int64(v))
		}
	case t == dateType:
		var d civil.Date
		if d, _, err = sheet.Date(text); err == nil {
			f.Set(reflect.ValueOf(d))
		}
	case t == periodsType:
		return readPeriods(f, text)
	case t == stepsType:
		return readSteps(f, text)
	case t == stringsType:
		f.Set(reflect.ValueOf(splitList(text, c.code)))
	case t.Kind() == reflect.Bool:
		return readBool(f, text)
	case t.Kind() == reflect.Int:
		var v int64
		if v, _, err = sheet.Integer(text); err == nil {
			f.SetInt(v)
		}
	case t.Kind() == reflect.Float64:
		var n string
		if n, err = sheet.Number(text); err == nil && n != "" {
			v, _ := strconv.ParseFloat(n, 64)
			f.SetFloat(v)
		}
	case t.Kind() == reflect.String:
		f.SetString(c.text(text))
	default:
		panic(fmt.Sprintf("onboardbook: column %s has unsupported type %s", c.Key, t))
	}
	if err != nil {
		if ce, ok := err.(*sheet.CellError); ok {
			return ce
		}
		return cellErr("invalid", "无法读取", "cannot be read")
	}
	return nil
}

func setDecimal[T ~int64](f reflect.Value, text string, parse func(string) (T, error)) error {
	v, _, err := sheet.Decimal(text, parse)
	if err == nil {
		f.SetInt(int64(v))
	}
	return err
}

// text is a plain text cell: trimmed, and narrowed when it is an identifier. Names keep their
// full-width brackets, as companies register them.
func (c column) text(s string) string {
	if c.code {
		return sheet.Clean(s)
	}
	return sheet.Unquote(strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " ")))
}

func splitList(s string, code bool) []string {
	out := []string{}
	for part := range strings.SplitSeq(listSplitter.Replace(s), "、") {
		if code {
			part = sheet.Clean(part)
		}
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (c column) readChoice(f reflect.Value, text string) *sheet.CellError {
	s := sheet.Clean(text)
	if s == "" {
		f.SetString("")
		return nil
	}
	names := make([]string, 0, len(c.choices))
	for _, ch := range c.choices {
		for _, name := range []string{ch.code, ch.zh, ch.en} {
			if strings.EqualFold(s, sheet.Clean(name)) {
				f.SetString(ch.code)
				return nil
			}
		}
		names = append(names, ch.zh)
	}
	list := strings.Join(names, "、")
	return cellErr("unknown_value", "不是可选值，可填："+list, "not an allowed value; use one of: "+list)
}

var (
	yes = []string{"是", "有", "y", "yes", "true", "1", "√", "✓"}
	no  = []string{"否", "无", "n", "no", "false", "0", "×", "x"}
)

func readBool(f reflect.Value, text string) *sheet.CellError {
	s := strings.ToLower(sheet.Clean(text))
	for _, y := range yes {
		if s == y {
			f.SetBool(true)
			return nil
		}
	}
	for _, n := range no {
		if s == n || s == "" {
			f.SetBool(false)
			return nil
		}
	}
	return cellErr("not_bool", "应为“是”或“否”", "must be 是 (yes) or 否 (no)")
}

// readPeriods reads "2024-01-01~2024-03-31；2025-01-01~2025-01-31" (至 also separates).
func readPeriods(f reflect.Value, text string) *sheet.CellError {
	out := []leasing.Period{}
	bad := cellErr("not_periods", "应写作“开始日期~结束日期”，多段用“；”分隔", "write start~end, several separated by ；")
	for _, part := range splitList(text, true) {
		from, to, ok := strings.Cut(strings.ReplaceAll(part, "至", "~"), "~")
		if !ok {
			return bad
		}
		a, okA, errA := sheet.Date(from)
		b, okB, errB := sheet.Date(to)
		if errA != nil || errB != nil || !okA || !okB {
			return bad
		}
		out = append(out, leasing.Period{From: a, To: b})
	}
	f.Set(reflect.ValueOf(out))
	return nil
}

// readSteps reads "25:5.5；37:6" — from lease month 25 the price is 5.5 元/㎡/天.
func readSteps(f reflect.Value, text string) *sheet.CellError {
	out := []leasing.Step{}
	bad := cellErr("not_steps", "应写作“起始月:单价”，多档用“；”分隔，如 25:5.5；37:6", "write month:price, several separated by ；, e.g. 25:5.5；37:6")
	for _, part := range splitList(text, true) {
		month, price, ok := strings.Cut(part, ":")
		if !ok {
			return bad
		}
		m, okM, errM := sheet.Integer(month)
		p, okP, errP := sheet.Decimal(price, measure.ParsePrice)
		if errM != nil || errP != nil || !okM || !okP {
			return bad
		}
		out = append(out, leasing.Step{FromMonth: int(m), Price: p})
	}
	f.Set(reflect.ValueOf(out))
	return nil
}

// write is the cell value for a field: numbers as numbers, dates as dates, choices by their
// Chinese label, lists joined with 、.
func (c column) write(f reflect.Value) any {
	t := f.Type()
	switch {
	case c.choices != nil:
		for _, ch := range c.choices {
			if ch.code == f.String() {
				return ch.zh
			}
		}
		return f.String()
	case c.percent:
		return number(measure.Decimal2(f.Int()).String())
	case t == areaType, t == priceType, t == decimalType:
		return number(f.Interface().(fmt.Stringer).String())
	case t == moneyType:
		m := measure.Money(f.Int())
		if c.wan {
			return number(m.Wan())
		}
		return number(m.String())
	case t == dateType:
		d := f.Interface().(civil.Date)
		if d.IsZero() {
			return nil
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) // a calendar day, no zone

	case t == periodsType:
		parts := []string{}
		for _, p := range f.Interface().([]leasing.Period) {
			parts = append(parts, p.From.String()+"~"+p.To.String())
		}
		return strings.Join(parts, "；")
	case t == stepsType:
		parts := []string{}
		for _, s := range f.Interface().([]leasing.Step) {
			parts = append(parts, strconv.Itoa(s.FromMonth)+":"+s.Price.String())
		}
		return strings.Join(parts, "；")
	case t == stringsType:
		return strings.Join(f.Interface().([]string), "、")
	case t.Kind() == reflect.Bool:
		if f.Bool() {
			return "是"
		}
		return "否"
	case t.Kind() == reflect.Int:
		return f.Int()
	case t.Kind() == reflect.Float64:
		return f.Float()
	default:
		return f.String()
	}
}

// number is an exact decimal as a cell number. float64 carries these values (areas, prices
// and 万元 amounts of at most 15 significant digits) back to the same decimal on reading.
func number(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// csvText is a written value as CSV text: dates as 2024-01-05, numbers without exponents.
func csvText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format(time.DateOnly)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return fmt.Sprint(x)
	}
}
