package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var reportColumns = []Column{
	{Key: "credit_code", Header: "统一社会信用代码", English: "Credit code", Required: true},
	{Key: "name", Header: "企业名称", English: "Enterprise"},
	{Key: "revenue", Header: "营业收入", English: "Revenue", Synonyms: []string{"营业总收入", "营收"}, Required: true},
	{Key: "rd_expense", Header: "研发费用", English: "R&D expenditure", Synonyms: []string{"研发投入"}},
	{Key: "employees", Header: "从业人员期末人数", English: "Employees", Synonyms: []string{"期末从业人数"}},
	{Key: "invention_patents", Header: "发明专利授权量", English: "Invention patents granted"},
	{Key: "filed_on", Header: "填报日期", English: "Filed on"},
	{Key: "tax", Header: "纳税总额", English: "Tax paid"},
}

// parsedRow is what a report row means once every quirk is read through.
type parsedRow struct {
	code               string
	revenue, rd, tax   measure.Money
	employees, patents int64
	filed              civil.Date
}

func parseTable(t *testing.T, tb Table) []parsedRow {
	t.Helper()
	h, missing := FindHeader(tb.Rows, reportColumns)
	if len(missing) > 0 {
		t.Fatalf("%s: missing columns %v", tb.Sheet, missing)
	}
	cell := func(row []string, key string) string {
		if i := h.Column[key]; i < len(row) {
			return row[i]
		}
		return ""
	}
	var out []parsedRow
	for i, row := range tb.Rows[h.Row+1:] {
		var p parsedRow
		var err error
		p.code = Clean(cell(row, "credit_code"))
		check := func(key string, e error) {
			if e != nil && err == nil {
				err = fmt.Errorf("row %d %s: %w", h.Row+2+i, key, e)
			}
		}
		var e error
		p.revenue, _, e = Money(cell(row, "revenue"), h.Wan["revenue"])
		check("revenue", e)
		p.rd, _, e = Money(cell(row, "rd_expense"), h.Wan["rd_expense"])
		check("rd_expense", e)
		p.tax, _, e = Money(cell(row, "tax"), h.Wan["tax"])
		check("tax", e)
		p.employees, _, e = Integer(cell(row, "employees"))
		check("employees", e)
		p.patents, _, e = Integer(cell(row, "invention_patents"))
		check("invention_patents", e)
		p.filed, _, e = Date(cell(row, "filed_on"))
		check("filed_on", e)
		if err != nil {
			t.Fatalf("%s: %v", tb.Sheet, err)
		}
		out = append(out, p)
	}
	return out
}

// TestLibreOfficeWorkbookQuirks reads testdata/quirks.xlsx, which LibreOffice wrote from
// quirks.fods (see scripts/make-sheet-fixtures): two merged title rows above the header, header
// synonyms with full- and half-width brackets and a required-marker, numbers stored as text with
// thousands separators and full-width digits and spaces, 万元 columns, a date cell, text dates in
// three styles, formulas, blank but formatted trailing rows and a hidden sheet.
func TestLibreOfficeWorkbookQuirks(t *testing.T) {
	data, err := os.ReadFile("testdata/quirks.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := Read(data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Sheet != "季度报表" {
		t.Fatalf("want only the visible sheet, got %d tables", len(tables))
	}
	if n := len(tables[0].Rows); n != 7 {
		t.Fatalf("want 7 rows after dropping the blank tail, got %d", n)
	}
	jan5 := civil.Of(2024, 1, 5)
	want := []parsedRow{
		{"91110108MA01XYZ123", measure.Yuan(12_345_000), measure.Yuan(123_456_700), measure.Yuan(1_000_000), 88, 3, jan5},
		{"91110108MA01XYZ124", measure.Yuan(12_000_000), measure.Yuan(12_345_000), measure.Money(100_000_050), 88, 12, jan5},
		{"91110108MA01XYZ125", measure.Yuan(24_690_000), measure.Yuan(148_146_700), measure.Yuan(2_000), 40, 0, jan5},
		{"91110108MA01XYZ126", measure.Yuan(5_000), 0, measure.Money(1), 5, 1, jan5},
	}
	got := parseTable(t, tables[0])
	if len(got) != len(want) {
		t.Fatalf("want %d rows, got %d", len(want), len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+4, got[i], want[i])
		}
	}
}

// TestGBKCSV reads a CSV that iconv converted to GB18030, as Chinese Excel saves it.
func TestGBKCSV(t *testing.T) {
	data, err := os.ReadFile("testdata/gbk.csv")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("企业名称")) {
		t.Fatal("fixture is not GBK-encoded")
	}
	tables, err := Read(data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	got := parseTable(t, tables[0])
	if len(got) != 2 || got[0].revenue != measure.Yuan(12_345_000) || got[1].revenue != measure.Yuan(12_000_000) ||
		got[1].employees != 88 || got[1].tax != measure.Yuan(2_000) || got[0].filed != civil.Of(2024, 1, 5) {
		t.Fatalf("GBK CSV read as %+v", got)
	}
	if tables[0].Rows[1][1] != "北京某某生物科技有限公司" {
		t.Fatalf("name decoded as %q", tables[0].Rows[1][1])
	}
}

func TestHostileAndWrongFiles(t *testing.T) {
	code := func(err error) apperr.Code {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			t.Fatalf("want an apperr, got %v", err)
		}
		return ae.Code
	}
	lim := Limits{MaxBytes: 1 << 20, MaxUncompressed: 4 << 20, MaxRows: 3, MaxCells: 100}

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(bytes.Repeat([]byte{' '}, 64<<20))
	zw.Close()
	if bomb.Len() > 1<<20 {
		t.Fatalf("bomb fixture is %d bytes", bomb.Len())
	}
	if _, err := Read(bomb.Bytes(), lim); code(err) != apperr.TooLarge || !strings.Contains(err.Error(), "unzips") {
		t.Errorf("zip bomb: %v", err)
	}
	if _, err := Read(make([]byte, 2<<20), lim); code(err) != apperr.TooLarge {
		t.Errorf("oversized upload: %v", err)
	}
	if _, err := Read([]byte("a,b\n1,2\n3,4\n5,6\n"), lim); code(err) != apperr.TooLarge {
		t.Errorf("too many rows: %v", err)
	}
	if _, err := Read([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), lim); code(err) != apperr.Invalid || !strings.Contains(err.Error(), "not an Excel workbook") {
		t.Errorf("a PNG: %v", err)
	}
	if _, err := Read([]byte("PK\x03\x04 this is not a zip"), lim); code(err) != apperr.Invalid {
		t.Errorf("a broken zip: %v", err)
	}
	if _, err := Read([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, lim); code(err) != apperr.Invalid || !strings.Contains(err.Error(), ".xls") {
		t.Errorf("an .xls: %v", err)
	}
	if _, err := Read([]byte("a,\"b\nc"), lim); err != nil {
		t.Errorf("lazy quotes should read: %v", err)
	}
}

// A cell no engine stores alike refuses the file, naming the cell: SQLite kept a NUL and
// PostgreSQL failed on it with a 500.
func TestCellsThatCannotBeStoredAreRefused(t *testing.T) {
	long := strings.Repeat("长", 4001)
	padding := strings.Repeat("填充,0\n", 2000) // past the 8 KB sniffed for binary content
	for name, tc := range map[string]struct {
		data       string
		cell, code string
	}{
		"nul":      {padding + "企业,a\x00b\n", "CSV!B2001", "nul_byte"},
		"too long": {"名称,说明\n企业," + long + "\n", "CSV!B2", "too_long"},
	} {
		_, err := Read([]byte(tc.data), DefaultLimits)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.cell || e.Fields[0].Code != tc.code {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Read([]byte("名称,说明\n企业,"+strings.Repeat("长", 4000)+"\n"), DefaultLimits); err != nil {
		t.Errorf("4,000 characters: %v", err)
	}
}

// A GBK CSV with bytes GBK does not map is refused naming the cell, not stored as "\ufffd".
func TestGBKWithInvalidBytesIsRefusedAtItsCell(t *testing.T) {
	good, err := simplifiedchinese.GBK.NewEncoder().String("名称,说明\n研发楼,朝南\n")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := simplifiedchinese.GBK.NewEncoder().String("实验楼,")
	if err != nil {
		t.Fatal(err)
	}
	bad := good + lab + "\xff\xfe\n" // bytes that are neither UTF-8 nor GBK in B3
	_, err = Read([]byte(bad), DefaultLimits)
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) != 1 || e.Fields[0].Field != "CSV!B3" || e.Fields[0].Code != "bad_encoding" {
		t.Fatalf("got %v", err)
	}
	if _, err := Read([]byte(good), DefaultLimits); err != nil {
		t.Errorf("a clean GBK file: %v", err)
	}
}

// A small workbook whose shared-strings part holds more texts than the limit is refused before
// it is parsed, quickly and with a clear message. testdata/shared-strings-bomb.xlsx is 62 KB: a
// zip whose xl/sharedStrings.xml holds 1,500,000 one-letter texts (25 MB unpacked).
func TestSharedStringsBombIsRefused(t *testing.T) {
	bomb, err := os.ReadFile("testdata/shared-strings-bomb.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Read(bomb, DefaultLimits)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.TooLarge || !strings.Contains(e.MessageEn, "distinct texts") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing took %s", d)
	}
}

// A workbook whose worksheets hold more cells than the limit is refused from the count alone,
// before anything is parsed: here the sheet is not even valid XML, and the answer is still the
// cell limit, not "not a workbook".
func TestCellBombIsRefusedBeforeParsing(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	_, _ = w.Write(bytes.Repeat([]byte(`<c r="A1" t="n"><v>1</v></c>`), 3000))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits
	lim.MaxCells = 2500
	_, err := Read(buf.Bytes(), lim)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.TooLarge || !strings.Contains(e.MessageEn, "cells") {
		t.Fatalf("got %v", err)
	}
	lim.MaxCells = 3000
	if _, err := Read(buf.Bytes(), lim); apperr.Is(err, apperr.TooLarge) {
		t.Fatalf("3,000 cells under a limit of 3,000: %v", err)
	}
}
