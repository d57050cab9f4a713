// Package i18n holds the UI's message catalogs (zh-CN, the default, and en) and formats numbers,
// areas and money for each language. Every UI string lives in a catalog; a test fails when a
// key is missing from either language or a template asks for an unknown key.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Languages the UI speaks; the first is the default.
var Languages = []string{"zh-CN", "en"}

//go:embed catalog/*.json
var files embed.FS

var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range Languages {
		b, err := files.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("catalog %s: %v", lang, err))
		}
		catalogs[lang] = m
	}
}

// Normalize maps "en-US", "EN" and friends to a supported language, defaulting to zh-CN.
func Normalize(s string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return "en"
	}
	return "zh-CN"
}

// T looks up key in lang's catalog and fills %-verbs from args. An unknown key comes back
// bracketed so that it shows in screenshots, and the catalog test fails on it.
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[Normalize(lang)][key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether lang's catalog has key.
func Has(lang, key string) bool { _, ok := catalogs[lang][key]; return ok }

// Keys lists lang's keys, sorted.
func Keys(lang string) []string {
	out := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// groupThousands inserts commas into the integer part of a decimal string.
func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Int formats a whole number with thousands separators.
func Int(n int64) string { return groupThousands(fmt.Sprint(n)) }

// Area formats an area with its unit: "1,234.56 ㎡" / "1,234.56 m²".
func Area(lang string, a measure.Area) string {
	unit := " ㎡"
	if Normalize(lang) == "en" {
		unit = " m²"
	}
	return groupThousands(a.String()) + unit
}

// scaled divides fen by 10^digits exactly and rounds to two decimals, for 万元 / 亿元 display.
func scaled(fen int64, digits int) string {
	r := new(big.Rat).SetFrac64(fen, 1)
	r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)))
	return groupThousands(r.FloatString(2))
}

// Money formats an amount: 万元 / 亿元 as display units in Chinese, full yuan in English.
func Money(lang string, m measure.Money) string {
	fen := int64(m)
	abs := fen
	if abs < 0 {
		abs = -abs
	}
	if Normalize(lang) == "en" {
		return "¥" + groupThousands(m.String())
	}
	switch {
	case abs >= 100_000_000*100:
		return scaled(fen, 10) + "亿元"
	case abs >= 10_000*100:
		return scaled(fen, 6) + "万元"
	}
	return groupThousands(m.String()) + "元"
}

// Price formats a unit price with the unit's catalog label, e.g. "5.8 元/㎡/天".
func Price(lang string, p measure.Price, unitKey string) string {
	return groupThousands(p.String()) + " " + T(lang, unitKey)
}

// Date formats a calendar day; zero is a dash.
func Date(lang string, d civil.Date) string {
	if d.IsZero() {
		return "—"
	}
	if Normalize(lang) == "en" {
		return d.String()
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}
