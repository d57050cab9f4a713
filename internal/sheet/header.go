package sheet

import (
	"strings"
	"unicode"
)

// Column is one column an import understands: its key, the header it is written with, and the
// other names people give it.
type Column struct {
	Key      string
	Header   string   // the Chinese header written into templates
	English  string   // the English header, also accepted on import
	Synonyms []string // other headers seen in the wild
	Required bool
}

// Header is where a table's header row is and which column holds each key. Wan marks columns
// whose header names 万元 as their unit.
type Header struct {
	Row    int // index into the table's rows
	Column map[string]int
	Wan    map[string]bool
}

// headerSearchRows is how far below the top a header row may sit under merged title rows.
const headerSearchRows = 10

// FindHeader picks, among the first rows, the one that names the most known columns, and maps
// each key to its column. It fails when a required column is missing, naming it.
func FindHeader(rows [][]string, cols []Column) (Header, []Column) {
	names := map[string]string{}
	for _, c := range cols {
		for _, n := range append([]string{c.Header, c.English, c.Key}, c.Synonyms...) {
			if n != "" {
				names[headerKey(n)] = c.Key
			}
		}
	}
	best := Header{Row: -1}
	for i := 0; i < len(rows) && i < headerSearchRows; i++ {
		h := Header{Row: i, Column: map[string]int{}, Wan: map[string]bool{}}
		for j, cell := range rows[i] {
			name, unit := SplitUnit(cell)
			key, ok := names[headerKey(name)]
			if !ok {
				continue
			}
			if _, dup := h.Column[key]; dup {
				continue
			}
			h.Column[key] = j
			h.Wan[key] = unit == "万元"
		}
		if len(h.Column) > len(best.Column) {
			best = h
		}
	}
	var missing []Column
	for _, c := range cols {
		if _, ok := best.Column[c.Key]; c.Required && !ok {
			missing = append(missing, c)
		}
	}
	return best, missing
}

// SplitUnit separates "营业收入（万元）" into its name and unit; full-width brackets are
// narrowed first.
func SplitUnit(cell string) (name, unit string) {
	s := strings.Trim(Clean(cell), "* ")
	if i := strings.LastIndex(s, "("); i > 0 && strings.HasSuffix(s, ")") {
		return s[:i], strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return s, ""
}

// headerKey is the comparable form of a header: no spaces, required-markers or case.
func headerKey(s string) string {
	s, _ = SplitUnit(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == '：' || r == ':' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
