// Package measure holds exact quantities: areas to 0.01 m², money in fen and unit prices to
// 0.0001 元. Each is an integer count of its smallest step, so sums never drift, and each writes
// JSON as a decimal string ("1234.56") and reads a string or a number.
package measure

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ErrSyntax means the text is not a plain decimal number.
var ErrSyntax = errors.New("not a decimal number")

// ErrPrecision means the number has more decimals than the quantity keeps.
var ErrPrecision = errors.New("too many decimal places")

// ErrRange means the number is too large to hold.
var ErrRange = errors.New("number out of range")

// parseScaled reads a decimal such as "-1234.5" into an integer of 10^-places steps.
// It accepts an optional leading sign and no exponent; trailing zeros beyond places are fine.
func parseScaled(s string, places int) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrSyntax
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return 0, ErrSyntax
	}
	if hasDot && frac == "" {
		return 0, ErrSyntax
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return 0, ErrSyntax
		}
	}
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > places {
		return 0, ErrPrecision
	}
	frac += strings.Repeat("0", places)
	digits := strings.TrimLeft(intPart+frac[:places], "0")
	if digits == "" {
		return 0, nil
	}
	if len(digits) > 18 {
		return 0, ErrRange
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	if neg {
		v = -v
	}
	return v, nil
}

// formatScaled writes v (in 10^-places steps) as a decimal without trailing zeros.
func formatScaled(v int64, places int) string { return string(appendScaled(nil, v, places)) }

// appendScaled writes v / 10^places in plain decimal notation without trailing zeros.
func appendScaled(b []byte, v int64, places int) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	}
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	for len(digits) <= places {
		digits = append([]byte{'0'}, digits...)
	}
	intPart, frac := digits[:len(digits)-places], bytes.TrimRight(digits[len(digits)-places:], "0")
	b = append(b, intPart...)
	if len(frac) > 0 {
		b = append(b, '.')
		b = append(b, frac...)
	}
	return b
}

// appendQuotedScaled writes v / 10^places as a JSON string, as the decimal types are sent.
func appendQuotedScaled(b []byte, v int64, places int) []byte {
	b = append(b, '"')
	return append(appendScaled(b, v, places), '"')
}

// unmarshalScaled reads a decimal written as a JSON string ("1234.56", as ParkOS writes it) or,
// from older stored records and lenient clients, as a JSON number, always from its text. A
// string must be a plain decimal as the API documents it: no sign but a leading minus, no
// spaces, digits before the point.
func unmarshalScaled(b []byte, places int) (int64, error) {
	s := string(b)
	switch {
	case s == "null":
		return 0, nil
	case strings.HasPrefix(s, `"`):
		if err := json.Unmarshal(b, &s); err != nil || !plainDecimal.MatchString(s) {
			return 0, ErrSyntax
		}
	}
	return parseScaled(s, places)
}

// plainDecimal is a decimal string as the API documents and writes it ("-1234.50").
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// quoted writes a decimal as a JSON string, so that no client reads it into a binary float.

func scanInt(src any) (int64, error) {
	switch v := src.(type) {
	case nil:
		return 0, nil
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case []byte:
		return strconv.ParseInt(string(v), 10, 64)
	case string:
		return strconv.ParseInt(v, 10, 64)
	}
	return 0, fmt.Errorf("measure: cannot scan %T", src)
}

// Area is an area in 0.01 m² steps.
type Area int64

// ParseArea reads "1234.56" (m²).
func ParseArea(s string) (Area, error) { v, err := parseScaled(s, 2); return Area(v), err }

// AreaM2 makes an area from whole square metres.
func AreaM2(m2 int64) Area { return Area(m2 * 100) }

func (a Area) String() string               { return formatScaled(int64(a), 2) }
func (a Area) MarshalJSON() ([]byte, error) { return a.AppendJSON(nil), nil }

// AppendJSON appends the value as a JSON string.
func (a Area) AppendJSON(b []byte) []byte { return appendQuotedScaled(b, int64(a), 2) }
func (a *Area) UnmarshalJSON(b []byte) error {
	v, err := unmarshalScaled(b, 2)
	*a = Area(v)
	return err
}
func (a Area) Value() (driver.Value, error) { return int64(a), nil }
func (a *Area) Scan(src any) error          { v, err := scanInt(src); *a = Area(v); return err }

// Money is an amount in fen (分).
type Money int64

// ParseYuan reads "12.34" (元).
func ParseYuan(s string) (Money, error) { v, err := parseScaled(s, 2); return Money(v), err }

// Yuan makes an amount from whole yuan.
func Yuan(y int64) Money { return Money(y * 100) }

func (m Money) String() string { return formatScaled(int64(m), 2) }

// Wan writes the amount in 万元 (10,000 yuan, 10^6 fen), exactly, without trailing zeros.
func (m Money) Wan() string                  { return formatScaled(int64(m), 6) }
func (m Money) MarshalJSON() ([]byte, error) { return m.AppendJSON(nil), nil }

// AppendJSON appends the value as a JSON string.
func (m Money) AppendJSON(b []byte) []byte { return appendQuotedScaled(b, int64(m), 2) }
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := unmarshalScaled(b, 2)
	*m = Money(v)
	return err
}
func (m Money) Value() (driver.Value, error) { return int64(m), nil }
func (m *Money) Scan(src any) error          { v, err := scanInt(src); *m = Money(v); return err }

// Price is a unit price such as 元/㎡/天 in 0.0001 元 steps, fine enough for quoted rents.
type Price int64

// ParsePrice reads "4.5" (元 per unit).
func ParsePrice(s string) (Price, error) { v, err := parseScaled(s, 4); return Price(v), err }

func (p Price) String() string               { return formatScaled(int64(p), 4) }
func (p Price) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil), nil }

// AppendJSON appends the value as a JSON string.
func (p Price) AppendJSON(b []byte) []byte { return appendQuotedScaled(b, int64(p), 4) }
func (p *Price) UnmarshalJSON(b []byte) error {
	v, err := unmarshalScaled(b, 4)
	*p = Price(v)
	return err
}
func (p Price) Value() (driver.Value, error) { return int64(p), nil }
func (p *Price) Scan(src any) error          { v, err := scanInt(src); *p = Price(v); return err }

// Decimal2 is a dimensionless or physical value kept to two decimals (kN/m², metres, kVA).
type Decimal2 int64

func ParseDecimal2(s string) (Decimal2, error) { v, err := parseScaled(s, 2); return Decimal2(v), err }

func (d Decimal2) String() string               { return formatScaled(int64(d), 2) }
func (d Decimal2) MarshalJSON() ([]byte, error) { return d.AppendJSON(nil), nil }

// AppendJSON appends the value as a JSON string.
func (d Decimal2) AppendJSON(b []byte) []byte { return appendQuotedScaled(b, int64(d), 2) }
func (d *Decimal2) UnmarshalJSON(b []byte) error {
	v, err := unmarshalScaled(b, 2)
	*d = Decimal2(v)
	return err
}
func (d Decimal2) Value() (driver.Value, error) { return int64(d), nil }
func (d *Decimal2) Scan(src any) error          { v, err := scanInt(src); *d = Decimal2(v); return err }

// Fixed writes the amount with exactly two decimals, as schedules and exports print money.
func (m Money) Fixed() string {
	s := formatScaled(int64(m), 2)
	intPart, frac, _ := strings.Cut(s, ".")
	return intPart + "." + (frac + "00")[:2]
}
