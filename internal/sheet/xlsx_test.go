package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkos/parkos/internal/apperr"
)

// readWithExcelize is how workbooks were read before the streaming reader, through excelize's
// Rows with raw cell values: the reference the reader must agree with.
func readWithExcelize(t *testing.T, data []byte) []Table {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	defer f.Close()
	var out []Table
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err != nil || !visible {
			continue
		}
		rows, err := f.Rows(name)
		if err != nil {
			continue
		}
		tb := Table{Sheet: name}
		for rows.Next() {
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatalf("excelize: %v", err)
			}
			tb.Rows = append(tb.Rows, cells)
		}
		if err := rows.Close(); err != nil {
			t.Fatalf("excelize: %v", err)
		}
		tb.Rows = trimBlankTail(tb.Rows)
		out = append(out, tb)
	}
	return out
}

func readWithBook(t *testing.T, data []byte) []Table {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := readBook(openBook(zr), DefaultLimits)
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	return tables
}

// sameTables compares two reads, an empty row and a row of nothing alike.
func sameTables(t *testing.T, what string, got, want []Table) {
	t.Helper()
	norm := func(ts []Table) []Table {
		out := make([]Table, len(ts))
		for i, tb := range ts {
			out[i].Sheet = tb.Sheet
			for _, r := range tb.Rows {
				if len(r) == 0 {
					r = nil
				}
				out[i].Rows = append(out[i].Rows, r)
			}
		}
		return out
	}
	got, want = norm(got), norm(want)
	if reflect.DeepEqual(got, want) {
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d sheets read, excelize read %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].Sheet != want[i].Sheet || len(got[i].Rows) != len(want[i].Rows) {
			t.Fatalf("%s: sheet %q with %d rows, excelize %q with %d", what, got[i].Sheet, len(got[i].Rows), want[i].Sheet, len(want[i].Rows))
		}
		for r := range want[i].Rows {
			if !reflect.DeepEqual(got[i].Rows[r], want[i].Rows[r]) {
				t.Fatalf("%s: sheet %q row %d:\n got %q\nwant %q", what, want[i].Sheet, r+1, got[i].Rows[r], want[i].Rows[r])
			}
		}
	}
}

// awkwardTexts are cell texts a writer must escape one way or another.
var awkwardTexts = []string{"", " ", "  leading and trailing  ", "a & b < c > d \" e ' f", "line\nbreak", "crlf\r\nline",
	"tab\there", "统一社会信用代码", "𠀋 emoji 🏭", "_x000D_ literal", "_x005F_x0041_", "ctrl\x01char", "91110108MA01XYZ123",
	"=not a formula", "1,234.50", "１２３", "万元", strings.Repeat("长", 300)}

// TestReaderAgreesWithExcelize reads workbooks excelize and LibreOffice wrote, and parts
// written by hand the way other writers do, and wants what excelize read from each.
func TestReaderAgreesWithExcelize(t *testing.T) {
	quirks, err := os.ReadFile("testdata/quirks.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	books := map[string][]byte{"LibreOffice quirks.xlsx": quirks}
	for seed := range uint64(6) {
		books[fmt.Sprintf("excelize, random cells %d", seed)] = randomBook(t, rand.New(rand.NewPCG(seed, 7)))
	}
	books["excelize stream writer"] = streamedBook(t)
	for name, xml := range handWrittenSheets {
		books["by hand: "+name] = bookOfParts(t, xml, handWrittenStrings)
	}
	for name, data := range books {
		sameTables(t, name, readWithBook(t, data), readWithExcelize(t, data))
	}
}

// randomBook has three sheets, one hidden and one very hidden, with cells of every kind at
// random places, rows and columns left out between them.
func randomBook(t *testing.T, rnd *rand.Rand) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range []struct{ name, state string }{{"报表", ""}, {"hidden", "hidden"}, {"very", "veryHidden"}, {"第二张", ""}} {
		if s.name != "报表" {
			if _, err := f.NewSheet(s.name); err != nil {
				t.Fatal(err)
			}
		} else if err := f.SetSheetName("Sheet1", s.name); err != nil {
			t.Fatal(err)
		}
		for range 120 {
			cell, _ := excelize.CoordinatesToCellName(1+rnd.IntN(30), 1+rnd.IntN(60))
			var err error
			switch rnd.IntN(9) {
			case 0, 1:
				err = f.SetCellStr(s.name, cell, awkwardTexts[rnd.IntN(len(awkwardTexts))])
			case 2:
				err = f.SetCellInt(s.name, cell, rnd.Int64N(1e12)-5e11)
			case 3:
				err = f.SetCellFloat(s.name, cell, rnd.Float64()*1e6, -1, 64)
			case 4:
				err = f.SetCellBool(s.name, cell, rnd.IntN(2) == 0)
			case 5:
				err = f.SetCellFormula(s.name, cell, "SUM(A1:B2)")
			case 6:
				err = f.SetCellValue(s.name, cell, time.Date(2024, time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), 0, 0, 0, 0, time.UTC))
			case 7:
				err = f.SetCellRichText(s.name, cell, []excelize.RichTextRun{{Text: "富文本 "}, {Text: awkwardTexts[rnd.IntN(len(awkwardTexts))], Font: &excelize.Font{Bold: true}}})
			case 8:
				err = f.SetCellStyle(s.name, cell, cell, 0) // formatted, empty
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if s.state != "" {
			if err := f.SetSheetVisible(s.name, false, s.state == "veryHidden"); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// streamedBook is written by excelize's stream writer, which writes inline strings.
func streamedBook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= 40; r += 1 + r%3 {
		cell, _ := excelize.CoordinatesToCellName(1+r%4, r)
		row := []any{awkwardTexts[r%len(awkwardTexts)], r * 1000, float64(r) / 7, r%2 == 0, nil, excelize.Cell{Formula: "A1*2"}}
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const handWrittenStrings = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>企业名称</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">富 </t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フリガナ</t></rPh></si>
<si><t><![CDATA[a <b> & c]]></t></si>
<si><t>tab_x0009_and_x005F_x0041_and_xD800_</t></si>
</sst>`

// handWrittenSheets are worksheet parts as other writers (or odd ones) write them.
var handWrittenSheets = map[string]string{
	"prefixed names": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
<x:row r="3"><x:c r="B3"><x:v>12.5</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	"no references": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row><c t="s"><v>2</v></c><c/><c><v>7</v></c></row><row/><row><c t="inlineStr"><is><t>inline &amp; &#x4E2D;&#25991;</t></is></c></row>
</sheetData></worksheet>`,
	"odd cells": `<?xml version="1.0"?><!-- written by hand --><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="2" spans='1:5'><c r="$B$2" t="s"><v> 3 </v></c><c r="D2" t="s"><v>99</v></c><c r="E2" t="str"><f>A1&amp;"&gt;"</f></c>
<c r="F2" t="b"><v>1</v></c><c r="G2" t="e"><v>#DIV/0!</v></c><c r="H2" t="inlineStr"><v>v not is</v></c></row>
<row r="5"><c r="A5" t="str"><f>"x"</f><v>cached
text</v></c><c r="C5" t="inlineStr"><is><r><t>run</t></r><r><rPr/><t>s</t></r></is></c></row>
<row r="7"><c r="A7" t="d"><v>2024-01-05T00:00:00Z</v></c><c r="B7"><f t="shared" si="0"/></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
	"trailing blank rows": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" s="3"/></row><row r="9" customFormat="1"/></sheetData></worksheet>`,
}

// bookOfParts packs one worksheet part, the shared strings and the parts that name them.
func bookOfParts(t *testing.T, sheetXML, stringsXML string) []byte {
	return packParts(t, standardParts(sheetXML, stringsXML))
}

// standardParts are the parts of a one-sheet workbook, by name.
func standardParts(sheetXML, stringsXML string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表 &amp; 1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheetXML,
		"xl/sharedStrings.xml":     stringsXML,
	}
}

// packParts zips parts.
func packParts(t *testing.T, parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOtherWritersWaysAgreeWithExcelize: a shared-strings part named with a capital S, a
// worksheet in GBK, and a cell declaring a namespace prefix read as excelize read them.
func TestOtherWritersWaysAgreeWithExcelize(t *testing.T) {
	sheetXML := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`
	capital := standardParts(sheetXML, handWrittenStrings)
	capital["xl/SharedStrings.xml"] = capital["xl/sharedStrings.xml"]
	delete(capital, "xl/sharedStrings.xml")
	capital["xl/_rels/workbook.xml.rels"] = strings.Replace(capital["xl/_rels/workbook.xml.rels"], `Target="sharedStrings.xml"`, `Target="missing.xml"`, 1)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<?xml version="1.0" encoding="GBK"?><worksheet><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>北京四季青生命科技园</t></is></c><c r="B1"><v>12</v></c></row></sheetData></worksheet>`)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"capital S":           packParts(t, capital),
		"GBK worksheet":       bookOfParts(t, gbk, handWrittenStrings),
		"xmlns:r on the cell": bookOfParts(t, `<worksheet><sheetData><row r="1"><c xmlns:r="urn:x" r="B1"><v>5</v></c></row></sheetData></worksheet>`, handWrittenStrings),
	} {
		want := readWithExcelize(t, data)
		if len(want) == 0 || len(want[0].Rows) == 0 || len(want[0].Rows[0]) == 0 {
			t.Fatalf("%s: excelize read nothing", name)
		}
		sameTables(t, name, readWithBook(t, data), want)
	}
}

// TestReaderCountsWhatItReads: limits hold for what the quick count before reading does not
// see (prefixed element names), a row is refused at the cell that passes the cell limit, and
// a worksheet two sheets name is read once.
func TestReaderCountsWhatItReads(t *testing.T) {
	lim := DefaultLimits
	lim.MaxStrings, lim.MaxCells = 10, 100
	prefixed := `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + strings.Repeat(`<x:si><x:t>t</x:t></x:si>`, 11) + `</x:sst>`
	if _, err := Read(bookOfParts(t, `<worksheet><sheetData/></worksheet>`, prefixed), lim); !apperr.Is(err, apperr.TooLarge) {
		t.Errorf("11 prefixed shared strings against a limit of 10: %v", err)
	}
	oneRow := `<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row>` + strings.Repeat(`<x:c><x:v>1</x:v></x:c>`, 101)
	_, err := Read(bookOfParts(t, oneRow, handWrittenStrings), lim)
	if !apperr.Is(err, apperr.TooLarge) {
		t.Errorf("a row of 101 prefixed cells, never closed, against a limit of 100: %v", err)
	}
	twice := standardParts(`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, handWrittenStrings)
	twice["xl/workbook.xml"] = strings.Replace(twice["xl/workbook.xml"], `</sheets>`, `<sheet name="again" sheetId="2" r:id="rId1"/></sheets>`, 1)
	tables, err := Read(packParts(t, twice), DefaultLimits)
	if err != nil || len(tables) != 1 {
		t.Errorf("one worksheet named by two sheets: %d tables, %v", len(tables), err)
	}
}

// TestLongRunsOfCommentsAreReadInALoop: a worksheet of 200,000 comments in a row reads on a
// small stack (each comment once took a nested call, and millions of them overflowed the stack
// and killed the process).
func TestLongRunsOfCommentsAreReadInALoop(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(4 << 20))
	xml := `<worksheet>` + strings.Repeat(`<!---->`, 100_000) + strings.Repeat(`<?p?>`, 100_000) +
		`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`
	tables, err := Read(bookOfParts(t, xml, handWrittenStrings), DefaultLimits)
	if err != nil || len(tables[0].Rows) != 1 {
		t.Fatalf("%v %v", tables, err)
	}
}

// TestRowNumberedBackwardsIsTheNextRow: a row whose number is not above the one before is
// read as the next row (excelize ran its cells into the row before).
func TestRowNumberedBackwardsIsTheNextRow(t *testing.T) {
	got := readWithBook(t, bookOfParts(t, `<worksheet><sheetData><row r="2"><c r="A2"><v>2</v></c></row>
<row r="1"><c r="B1"><v>1</v></c></row></sheetData></worksheet>`, handWrittenStrings))
	want := [][]string{nil, {"2"}, {"", "1"}}
	if !reflect.DeepEqual(got[0].Rows, want) {
		t.Fatalf("rows %q, want %q", got[0].Rows, want)
	}
}

// TestOversizedTokensAreRefused: a comment, a tag or a text of more than a megabyte refuses the
// file before it is gathered whole into memory (one that never ends would otherwise be read to
// the end of the part first).
func TestOversizedTokensAreRefused(t *testing.T) {
	long := strings.Repeat("a", 2<<20)
	cdata := strings.Repeat("<![CDATA["+strings.Repeat("a", 512<<10)+"]]>", 3)
	for name, xml := range map[string]string{
		"joined text":    `<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>` + cdata + `</v></c></row></sheetData></worksheet>`,
		"unclosed quote": `<worksheet><sheetData><row x="` + strings.Repeat(">", 64<<10),
		"comment":        `<worksheet><!--` + long + `--><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		"attribute":      `<worksheet><sheetData><row r="1" x="` + long + `"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		"text":           `<worksheet>` + long + `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
	} {
		_, err := Read(bookOfParts(t, xml, handWrittenStrings), DefaultLimits)
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want the file refused as not a workbook", name, err)
		}
	}
}

// FuzzReadMangledSheet: whatever a worksheet part holds, the reader answers with tables or a
// refusal naming the problem, never a panic or an error of its own.
func FuzzReadMangledSheet(f *testing.F) {
	for _, xml := range handWrittenSheets {
		f.Add(xml)
	}
	f.Add(`<worksheet><sheetData><row r="1048577"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`)
	f.Add(`<worksheet><sheetData><row><c r="XFE1"><v>1</v></c><c r="A0"><v>1</v></c></row></sheetData></worksheet>`)
	f.Add(`<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData><row><c><v>&a;</v></c></row></sheetData></worksheet>`)
	f.Add(`<worksheet><sheetData><row><c t="s"><v>-1</v></c><c><v>&#xD800;&bogus;</v></c></row>`)
	f.Fuzz(func(t *testing.T, sheetXML string) {
		tables, err := Read(bookOfParts(t, sheetXML, handWrittenStrings), DefaultLimits)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if len(tables) != 1 {
			t.Fatalf("%d tables", len(tables))
		}
	})
}
