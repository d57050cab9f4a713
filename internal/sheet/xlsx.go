package sheet

import (
	"archive/zip"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An xlsx workbook is read here as a stream of its parts' tags: excelize decoded each cell
// through reflection, four of the five seconds a 100,000-row report took to read. What a cell
// gives is what excelize's Rows gave with RawCellValue (TestReaderAgreesWithExcelize): shared
// and inline strings as text, numbers and dates as stored, formulas their cached values.

// maxRow and maxColumn are a worksheet's bounds.
const (
	maxRow    = 1_048_576
	maxColumn = 16_384
)

// book is an xlsx package: its parts by name.
type book map[string]*zip.File

func openBook(zr *zip.Reader) book {
	b := book{}
	for _, f := range zr.File {
		b[strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")] = f
	}
	return b
}

// scan runs fn over the tags of the named part; a part that is missing scans as empty.
func (b book) scan(name string, fn func(x *xmlScanner) error) error {
	f, ok := b[name]
	if !ok {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	x, err := newPartScanner(rc)
	if err != nil {
		return err
	}
	for {
		switch err := x.next(); err {
		case nil:
			if err := fn(x); err != nil {
				return err
			}
		case io.EOF:
			return nil
		default:
			return err
		}
	}
}

// relation is one Relationship of a .rels part.
type relation struct{ id, kind, target string }

func (b book) relations(name string) ([]relation, error) {
	var out []relation
	err := b.scan(name, func(x *xmlScanner) error {
		if !x.is(tokenStart, "Relationship") {
			return nil
		}
		var r relation
		for _, a := range []struct {
			name string
			to   *string
		}{{"Id", &r.id}, {"Type", &r.kind}, {"Target", &r.target}} {
			v, err := x.attr(a.name)
			if err != nil {
				return err
			}
			*a.to = v
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// bookSheet is one sheet the workbook lists, in its order.
type bookSheet struct {
	name    string
	visible bool
	part    string // "" when the workbook names no part for it
}

// sheets are the workbook's sheets, found through the package's relationships as Excel does,
// and the part that holds its shared strings ("" for none).
func (b book) sheets() ([]bookSheet, string, error) {
	top, err := b.relations("_rels/.rels")
	if err != nil {
		return nil, "", err
	}
	workbook := ""
	for _, r := range top {
		if strings.HasSuffix(r.kind, "/officeDocument") {
			workbook = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	if workbook == "" {
		return nil, "", errMalformed
	}
	dir := path.Dir(workbook)
	rels, err := b.relations(strings.TrimPrefix(path.Join(dir, "_rels", path.Base(workbook)+".rels"), "/"))
	if err != nil {
		return nil, "", err
	}
	parts := map[string]string{}
	stringsPart := ""
	for _, r := range rels {
		p := path.Join(dir, r.target)
		if strings.HasPrefix(r.target, "/") {
			p = path.Clean(r.target)
		}
		parts[r.id] = strings.TrimPrefix(p, "/")
		if strings.HasSuffix(r.kind, "/sharedStrings") && b[parts[r.id]] != nil {
			stringsPart = parts[r.id]
		}
	}
	if stringsPart == "" {
		stringsPart = b.named("xl/sharedStrings.xml")
	}
	var out []bookSheet
	err = b.scan(workbook, func(x *xmlScanner) error {
		if !x.is(tokenStart, "sheet") {
			return nil
		}
		var s bookSheet
		var state, id string
		var err error
		if s.name, err = x.attr("name"); err != nil {
			return err
		}
		if state, err = x.attr("state"); err != nil {
			return err
		}
		if id, err = x.attr("id"); err != nil {
			return err
		}
		s.visible = state == "" || state == "visible"
		if p, ok := parts[id]; ok && b[p] != nil {
			s.part = p
		}
		out = append(out, s)
		return nil
	})
	return out, stringsPart, err
}

// named is the part whose name is name in any case ("" for none): some writers spell
// xl/SharedStrings.xml so, and Excel reads it.
func (b book) named(name string) string {
	if b[name] != nil {
		return name
	}
	for n := range b {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// sharedStrings are the workbook's texts that cells name by number, at most limit of them.
func (b book) sharedStrings(part string, limit int) ([]string, error) {
	var out []string
	err := b.scan(part, func(x *xmlScanner) error {
		if !x.is(tokenStart, "si") {
			return nil
		}
		if len(out) == limit {
			return tooManyStrings(limit)
		}
		s, err := x.richText("si")
		out = append(out, s)
		return err
	})
	return out, err
}

// richText reads the text of the element just started (a shared string or an inline one):
// its <t>, or the <t> of each of its runs, leaving out phonetic guides.
func (x *xmlScanner) richText(element string) (string, error) {
	if x.selfShut {
		return "", nil
	}
	var b strings.Builder
	for {
		if err := x.next(); err != nil {
			return "", errMalformed
		}
		switch {
		case x.is(tokenStart, "t"):
			t, err := x.textOf()
			if err != nil {
				return "", err
			}
			if b.WriteString(t); b.Len() > maxToken {
				return "", errMalformed
			}
		case x.is(tokenStart, "r"):
			// its <t> is read by the loop; its properties are skipped
		case x.kind == tokenStart:
			if _, err := x.textOf(); err != nil {
				return "", err
			}
		case x.is(tokenEnd, element):
			return unescapeOOXML(b.String()), nil
		}
	}
}

// unescapeOOXML turns the _xHHHH_ escapes OOXML writes for characters XML cannot carry back
// into those characters; _x005F_ is an escaped underscore, and a surrogate is dropped.
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		n, ok := escapedUnit(s[i:])
		if !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		if r := rune(n); n != 0x5F && utf8.ValidRune(r) {
			b.WriteRune(r)
		} else if n == 0x5F {
			b.WriteByte('_')
		}
		s = s[i+7:]
	}
}

// escapedUnit reads "_xHHHH_" at the start of s.
func escapedUnit(s string) (uint64, bool) {
	if len(s) < 7 || s[6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:6], 16, 32)
	return n, err == nil && !strings.ContainsAny(s[2:6], "+-")
}

// readRows reads a worksheet's rows, row i of the result being row i+1 of the sheet: rows the
// part leaves out are empty, and each row ends at its last cell with a value or a formula.
// rows and cells count what all sheets read so far hold, against the limits.
func (b book) readRows(part string, strs []string, lim Limits, rows, cells *int) ([][]string, error) {
	var out [][]string
	var row []string
	col := 0 // the column of the last cell read: a cell without a reference is the next one
	inRow, done := false, false
	err := b.scan(part, func(x *xmlScanner) error {
		switch {
		case done:
		case x.is(tokenStart, "row"):
			r, err := x.attr("r")
			if err != nil {
				return err
			}
			target := len(out) + 1
			if n, err := strconv.Atoi(r); err == nil && n != 0 {
				if n > maxRow {
					return errMalformed
				}
				target = max(n, target)
			}
			for len(out) < target-1 {
				if *rows++; *rows > lim.MaxRows {
					return tooMany("rows", lim.MaxRows)
				}
				out = append(out, nil)
			}
			row, col, inRow = nil, 0, !x.selfShut
			if !inRow {
				return x.endRow(&out, row, lim, rows, cells)
			}
		case inRow && x.is(tokenStart, "c"):
			var err error
			if row, col, err = x.cell(row, col+1, strs); err != nil {
				return err
			}
			if *cells+len(row) > lim.MaxCells {
				return tooMany("cells", lim.MaxCells)
			}
		case inRow && x.is(tokenEnd, "row"):
			inRow = false
			return x.endRow(&out, row, lim, rows, cells)
		case x.is(tokenEnd, "sheetData"):
			done = true
		}
		return nil
	})
	return out, err
}

func (x *xmlScanner) endRow(out *[][]string, row []string, lim Limits, rows, cells *int) error {
	if *rows++; *rows > lim.MaxRows {
		return tooMany("rows", lim.MaxRows)
	}
	if *cells += len(row); *cells > lim.MaxCells {
		return tooMany("cells", lim.MaxCells)
	}
	*out = append(*out, row)
	return nil
}

// cell reads the <c> just started and appends its value to row at its column (col, unless
// the cell names its own), returning the row and the column.
func (x *xmlScanner) cell(row []string, col int, strs []string) ([]string, int, error) {
	ref, err := x.attrBytes("r")
	if err != nil {
		return nil, 0, err
	}
	if len(ref) > 0 {
		if col, err = columnOf(ref); err != nil {
			return nil, 0, err
		}
	}
	kind, err := x.attr("t") // read before the cell's children replace the tag
	if err != nil {
		return nil, 0, err
	}
	var v, inline string
	var hasFormula, hasInline bool
	if !x.selfShut {
		for done := false; !done; {
			if err := x.next(); err != nil {
				return nil, 0, errMalformed
			}
			switch {
			case x.is(tokenStart, "v"):
				if v, err = x.textOf(); err != nil {
					return nil, 0, err
				}
			case x.is(tokenStart, "f"):
				hasFormula = true
				if _, err = x.textOf(); err != nil {
					return nil, 0, err
				}
			case x.is(tokenStart, "is"):
				hasInline = true
				if inline, err = x.richText("is"); err != nil {
					return nil, 0, err
				}
			case x.kind == tokenStart:
				if _, err = x.textOf(); err != nil {
					return nil, 0, err
				}
			case x.is(tokenEnd, "c"):
				done = true
			}
		}
	}
	val := v
	switch kind {
	case "s":
		val = ""
		if v != "" {
			i, _ := strconv.Atoi(strings.TrimSpace(v))
			if i >= 0 && i < len(strs) {
				val = strs[i]
			}
		}
	case "inlineStr":
		if hasInline {
			val = inline
		}
	}
	if val == "" && !hasFormula {
		return row, col, nil
	}
	for len(row) < col-1 {
		row = append(row, "")
	}
	return append(row, val), col, nil
}

// columnOf is the column number of a cell reference such as "AB12" (or "$AB$12").
func columnOf(ref []byte) (int, error) {
	col, row, i := 0, 0, 0
	for ; i < len(ref) && (ref[i] == '$' || ref[i] > '9'); i++ {
		c := ref[i] | 0x20 // lower case
		switch {
		case ref[i] == '$':
		case c >= 'a' && c <= 'z':
			if col = col*26 + int(c-'a'+1); col > maxColumn {
				return 0, errMalformed
			}
		default:
			return 0, errMalformed
		}
	}
	if col == 0 || i == len(ref) {
		return 0, errMalformed
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, errMalformed
		}
		if row = row*10 + int(c-'0'); row > maxRow {
			return 0, errMalformed
		}
	}
	if row < 1 {
		return 0, errMalformed
	}
	return col, nil
}
