// Package check holds the domain ranges every context applies to quantities and text, so an
// area, a unit price, an amount or a name is refused the same way wherever it is entered.
package check

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/measure"
)

const (
	// MaxUnitArea bounds the area of one unit or one contract line: 1,000,000 m².
	MaxUnitArea = measure.Area(1_000_000 * 100)
	// MaxUnitPrice bounds a rent or fee: 10,000 元 per m² and day (or month).
	MaxUnitPrice = measure.Price(10_000 * 10_000)
	// MaxMoney bounds any amount: 10 trillion 元 (10^15 fen), far above any lease and far below
	// where int64 fen could wrap.
	MaxMoney = measure.Money(1_000_000_000_000_000)
	// NameLen and NoteLen are the longest names and free texts, in characters.
	NameLen = 200
	NoteLen = 4000
	// LongTextLen is the longest text any field takes (a policy's full text); a field longer
	// than NoteLen says so with its own bound.
	LongTextLen = 50_000
)

// UnitArea: 0 < a ≤ 1,000,000 m².
func UnitArea(f *apperr.Fields, field string, a measure.Area) {
	switch {
	case a <= 0:
		f.Add(field, "out_of_range", "面积须大于 0", "area must be greater than 0")
	case a > MaxUnitArea:
		f.Add(field, "out_of_range", "面积不能超过 1,000,000 ㎡", "area cannot exceed 1,000,000 m²")
	}
}

// UnitPrice: 0 ≤ p ≤ 10,000 元.
func UnitPrice(f *apperr.Fields, field string, p measure.Price) {
	switch {
	case p < 0:
		f.Add(field, "negative", "单价不能为负数", "price cannot be negative")
	case p > MaxUnitPrice:
		f.Add(field, "out_of_range", "单价不能超过 10,000 元", "price cannot exceed 10,000 yuan")
	}
}

// Money: 0 ≤ m ≤ 10 trillion 元.
func Money(f *apperr.Fields, field string, m measure.Money) {
	switch {
	case m < 0:
		f.Add(field, "negative", "金额不能为负数", "amount cannot be negative")
	case m > MaxMoney:
		f.Add(field, "out_of_range", "金额超出上限", "amount is too large")
	}
}

// Text: at most max characters.
func Text(f *apperr.Fields, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		f.Add(field, "too_long", fmt.Sprintf("不能超过 %d 个字符", max), fmt.Sprintf("must be at most %d characters", max))
	}
}

// String refuses text no engine stores alike: invalid UTF-8, a NUL character, or more than
// NoteLen characters, whatever the field.
func String(f *apperr.Fields, field, s string) { StringUpTo(f, field, s, NoteLen) }

// Storable reports whether String would accept s, without naming a field.
func Storable(s string) bool {
	var f apperr.Fields
	String(&f, "", s)
	return len(f) == 0
}

// StringUpTo is String for a field that takes up to max characters.
func StringUpTo(f *apperr.Fields, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "bad_encoding", "文本不是有效的 UTF-8 编码", "text is not valid UTF-8")
	case strings.ContainsRune(s, 0):
		f.Add(field, "nul_byte", "文本不能包含 NUL 字符", "text cannot contain NUL characters")
	case utf8.RuneCountInString(s) > max:
		Text(f, field, s, max)
	}
}

// Field checks a text field: present when required, storable, and at most max characters.
func Field(f *apperr.Fields, field, value string, required bool, max int) {
	if required && strings.TrimSpace(value) == "" {
		f.Required(field)
		return
	}
	StringUpTo(f, field, value, max)
}
