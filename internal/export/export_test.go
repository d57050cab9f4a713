package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// sample has a column of every kind, two kinds of rows to sum apart and a hostile text.
func sample() Table {
	return Table{
		Title: "租金台账 / rent roll: 2026",
		Columns: []Column{{"类型", Text}, {"单元", Text}, {"天数", Integer}, {"金额（元）", Yuan}, {"注册资本（万元）", Wan},
			{"面积（㎡）", Area}, {"单价（元/㎡/天）", Price}, {"出租率", Percent}, {"到期日", Date}, {"年限", Decimal}},
		Rows: [][]any{
			{"租金", "=HYPERLINK(\"http://x\")", 31, measure.Money(191348), measure.Money(12_345_678_900), measure.Area(12050),
				measure.Price(45000), 0.853, civil.Of(2026, 1, 31), 2.5},
			{"押金", "-A1", 0, measure.Money(300000), measure.Money(0), measure.Area(0), measure.Price(0), 0.0, civil.Date{}, 0.0},
			{"租金", "B-201", 30, measure.Money(1), nil, measure.Area(1), nil, nil, civil.Of(2026, 2, 28), nil},
		},
		Sums: []Sum{
			{Label: "租金小计", Match: 0, Only: "租金", Of: []int{3}},
			{Label: "不含押金", Match: 0, Except: []string{"押金"}, Of: []int{3, 5}},
			{Label: "合计", Of: []int{2, 3}},
		},
		Notes: []string{"计息规则 / convention"},
	}
}

func TestWorkbookIsExcelNative(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sh := x.GetSheetName(0)
	if sh != "租金台账 - rent roll- 2026" {
		t.Errorf("sheet name %q", sh)
	}
	raw := func(cell string) string {
		v, err := x.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	format := func(cell string) string {
		id, _ := x.GetCellStyle(sh, cell)
		style, err := x.GetStyle(id)
		if err != nil || style.CustomNumFmt == nil {
			return ""
		}
		return *style.CustomNumFmt
	}
	typ := func(cell string) excelize.CellType {
		ct, err := x.GetCellType(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	for cell, want := range map[string]struct{ raw, format string }{
		"C2": {"31", "#,##0"}, "D2": {"1913.48", "#,##0.00"}, "E2": {"12345.6789", "#,##0.00"},
		"F2": {"120.5", "#,##0.00"}, "G2": {"4.5", "#,##0.00##"}, "H2": {"0.853", "0.0%"},
		"I2": {"46053", "yyyy-mm-dd"}, "J2": {"2.5", "#,##0.00"},
	} {
		if got := raw(cell); got != want.raw {
			t.Errorf("%s holds %q, want %q", cell, got, want.raw)
		}
		if got := format(cell); got != want.format {
			t.Errorf("%s is formatted %q, want %q", cell, got, want.format)
		}
		if ct := typ(cell); ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
			t.Errorf("%s is stored as text", cell)
		}
	}
	if got := raw("B2"); got != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula in text was written as %q", got)
	}
	if got := raw("B3"); got != "-A1" {
		t.Errorf("a leading minus in a workbook's text cell was written as %q", got)
	}
	if got := raw("I3"); got != "" {
		t.Errorf("the zero date was written as %q", got)
	}
	for cell, want := range map[string]string{
		"D5": `SUMIF(A2:A4,"租金",D2:D4)`, "D6": `SUMIFS(D2:D4,A2:A4,"<>押金")`, "F6": `SUMIFS(F2:F4,A2:A4,"<>押金")`,
		"C7": "SUBTOTAL(9,C2:C4)", "D7": "SUBTOTAL(9,D2:D4)",
	} {
		if got, _ := x.GetCellFormula(sh, cell); got != want {
			t.Errorf("%s has the formula %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"D5": "1913.49", "D6": "1913.49", "F6": "120.51", "D7": "4913.49", "C7": "61"} {
		if got := raw(cell); got != want {
			t.Errorf("%s caches %q, want %q", cell, got, want)
		}
	}
	if got := raw("A8"); got != "计息规则 / convention" {
		t.Errorf("the note reads %q", got)
	}
	panes, err := x.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("the header row is not frozen: %+v %v", panes, err)
	}
	var filtered bool
	for _, dn := range x.GetDefinedName() {
		filtered = filtered || dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "!$A$1:$J$4")
	}
	if !filtered {
		t.Errorf("no auto-filter over the table: %+v", x.GetDefinedName())
	}
	headerStyle, _ := x.GetCellStyle(sh, "A1")
	if style, _ := x.GetStyle(headerStyle); style == nil || style.Font == nil || !style.Font.Bold || style.Fill.Pattern != 1 {
		t.Errorf("the header is not styled: %+v", style)
	}
	if w, _ := x.GetColWidth(sh, "E"); w < 18 {
		t.Errorf("the 注册资本 column is %.1f wide, narrower than its header", w)
	}
}

func TestCSVHasTheSameValues(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimPrefix(buf.String(), "\xEF\xBB\xBF"), "\n")
	want := []string{
		"类型,单元,天数,金额（元）,注册资本（万元）,面积（㎡）,单价（元/㎡/天）,出租率,到期日,年限",
		`租金,"'=HYPERLINK(""http://x"")",31,1913.48,12345.6789,120.5,4.5,85.3%,2026-01-31,2.50`,
		"押金,'-A1,0,3000.00,0,0,0,0.0%,,0.00",
		"租金,B-201,30,0.01,,0.01,,,2026-02-28,",
		"租金小计,,,1913.49,,,,,,",
		"不含押金,,,1913.49,,120.51,,,,",
		"合计,,61,4913.49,,,,,,",
		"计息规则 / convention,,,,,,,,,",
	}
	for i, line := range want {
		if i >= len(got) || got[i] != line {
			t.Errorf("line %d: %q, want %q", i+1, at(got, i), line)
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// TestLibreOfficeReadsTheTypes opens the workbook in LibreOffice, an independent reader, and
// checks from its own flat ODS what it read: numbers, dates, percentages and formulas. Only
// when asked (PARKOS_TEST_LIBREOFFICE=1, as .ci/run sets).
func TestLibreOfficeReadsTheTypes(t *testing.T) {
	if os.Getenv("PARKOS_TEST_LIBREOFFICE") != "1" {
		t.Skip("set PARKOS_TEST_LIBREOFFICE=1 to open the export in LibreOffice")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice (soffice) is not installed; scripts/ensure-libreoffice installs libreoffice-calc-nogui")
	}
	var buf bytes.Buffer
	if err := sample().WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "fods", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	ods, err := os.ReadFile(filepath.Join(dir, "export.fods"))
	if err != nil {
		t.Fatalf("LibreOffice wrote nothing: %v", err)
	}
	for _, want := range []string{
		`office:value-type="float" office:value="1913.48"`,
		`office:value-type="float" office:value="12345.6789"`,
		`office:value-type="percentage" office:value="0.853"`,
		`office:value-type="date" office:date-value="2026-01-31"`,
		`table:formula="of:=SUBTOTAL(9;[.D2:.D4])" office:value-type="float" office:value="4913.49"`,
		`table:formula="of:=SUMIF([.A2:.A4];&quot;租金&quot;;[.D2:.D4])"`,
	} {
		if !bytes.Contains(ods, []byte(want)) {
			t.Errorf("LibreOffice did not read %s", want)
		}
	}
}

func TestSheetNames(t *testing.T) {
	for title, want := range map[string]string{"'Q1'": "Q1", "History": "History_", "": "Sheet1", "a/b:c": "a-b-c",
		"合同" + strings.Repeat("长", 40): "合同" + strings.Repeat("长", 29)} {
		if got := sheetName(title); got != want {
			t.Errorf("%q: %q, want %q", title, got, want)
		}
		var buf bytes.Buffer
		if err := (Table{Title: title, Columns: []Column{{"A", Text}}}).WriteXLSX(&buf); err != nil {
			t.Errorf("%q: %v", title, err)
		}
	}
}

// An empty table's sums are plain zeros: a formula over no rows would name its own cell.
func TestEmptyTableSumsHaveNoFormula(t *testing.T) {
	var buf bytes.Buffer
	tb := Table{Title: "空", Columns: []Column{{"单元", Text}, {"面积", Area}}, Sums: []Sum{{Label: "合计", Of: []int{1}}}}
	if err := tb.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := x.GetCellFormula("空", "B2"); f != "" {
		t.Errorf("the sum of no rows is the formula %q", f)
	}
	if v, _ := x.GetCellValue("空", "B2", excelize.Options{RawCellValue: true}); v != "0" {
		t.Errorf("the sum of no rows is %q", v)
	}
}
