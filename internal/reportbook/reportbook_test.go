package reportbook

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

func code(i int) string { return fmt.Sprintf("91110108MA%08d", i) }

func members(n int) ([]Member, func(string) bool) {
	ms := make([]Member, n)
	known := map[string]bool{}
	for i := range ms {
		ms[i] = Member{CreditCode: code(i), Name: fmt.Sprintf("演示企业%05d", i), Figures: stats.Figures{
			"revenue": int64(i+1) * 1_234_567, "rd_expense": int64(i+1) * 100_000, "tax": 50_000_01, "employees": int64(10 + i%90),
			"rd_staff": 5, "invention_patents_granted": 1, "invention_patents_held": int64(i % 20)}}
		known[ms[i].CreditCode] = true
	}
	return ms, func(c string) bool { return known[c] }
}

func TestTemplateRoundTrip(t *testing.T) {
	ms, known := members(3)
	data, err := Template("2026年第3季度 企业统计报表", ms)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(data, sheet.DefaultLimits, known)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 0 || len(p.Rows) != 3 {
		t.Fatalf("round trip: %d rows, problems %+v", len(p.Rows), p.Problems)
	}
	for i, r := range p.Rows {
		if r.CreditCode != ms[i].CreditCode || r.Submit || r.Row != i+3 {
			t.Errorf("row %d: %+v", i, r)
		}
		for k, v := range ms[i].Figures {
			if r.Figures[k] != v {
				t.Errorf("row %d %s: %d, want %d", i, k, r.Figures[k], v)
			}
		}
	}
	f, _ := excelize.OpenReader(bytes.NewReader(data))
	if dvs, _ := f.GetDataValidations(dataSheet); len(dvs) != len(stats.Measures)+1 {
		t.Errorf("data validations: %d", len(dvs))
	}
	if lines, _ := f.GetRows(readmeSheet); len(lines) < 5 {
		t.Errorf("read-me sheet has %d lines", len(lines))
	}
}

// TestTenThousandRowsWithThirtySevenBadCells: exactly the 37 planted problems come back, each by
// row and column, and the annotated copy marks those cells (and opens in LibreOffice when it is
// installed, as .ci/run makes sure).
func TestTenThousandRowsWithThirtySevenBadCells(t *testing.T) {
	ms, known := members(10_000)
	data, err := Template("2026年第3季度", ms)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(data))
	col := func(key string) string {
		for i, c := range columns() {
			if c.Key == key {
				name, _ := excelize.ColumnNumberToName(i + 1)
				return name
			}
		}
		t.Fatalf("no column %s", key)
		return ""
	}
	type plant struct{ key, value, code string }
	kinds := []plant{
		{"revenue", "abc", "not_number"}, {"employees", "12.5", "not_integer"}, {"tax", "-3", "negative"},
		{"rd_expense", "1.0000001", "too_precise"}, {"credit_code", "91110108MA99999999", "unknown"},
		{"action", "作废", "invalid"}, {"invention_patents_held", "七", "not_number"},
	}
	want := map[string]string{}
	for i := range 37 {
		k := kinds[i%len(kinds)]
		row := 3 + i*263
		cell := col(k.key) + fmt.Sprint(row)
		f.SetCellStr(dataSheet, cell, k.value)
		want[cell] = k.code
	}
	var buf bytes.Buffer
	f.Write(&buf)
	upload := buf.Bytes()

	p, err := Read(upload, sheet.DefaultLimits, known)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, pr := range p.Problems {
		got[pr.Column+fmt.Sprint(pr.Row)] = pr.Code
	}
	if len(p.Problems) != 37 || len(got) != 37 {
		t.Fatalf("%d problems in %d cells, want 37", len(p.Problems), len(got))
	}
	for cell, code := range want {
		if got[cell] != code {
			t.Errorf("%s: %q, want %q", cell, got[cell], code)
		}
	}
	if len(p.Rows) != 10_000-37 {
		t.Fatalf("%d good rows", len(p.Rows))
	}

	marked, err := sheet.Annotate(upload, sheet.DefaultLimits, p.Problems)
	if err != nil {
		t.Fatal(err)
	}
	af, err := excelize.OpenReader(bytes.NewReader(marked))
	if err != nil {
		t.Fatal(err)
	}
	comments, _ := af.GetComments(dataSheet)
	if len(comments) != 37 {
		t.Fatalf("%d comments in the annotated copy", len(comments))
	}
	for _, c := range comments {
		if _, ok := want[c.Cell]; !ok || !strings.Contains(c.Text, "/") {
			t.Errorf("comment on %s: %q", c.Cell, c.Text)
		}
	}
	opensInLibreOffice(t, marked)
}

// opensInLibreOffice converts the workbook to CSV with LibreOffice and checks it read the rows.
func opensInLibreOffice(t *testing.T, data []byte) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
		}
		t.Log("LibreOffice not installed here: the annotated copy was not opened in it")
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "annotated.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "annotated.csv"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no CSV: %v", err)
	}
	if lines := bytes.Count(csv, []byte("\n")); lines < 10_000 {
		t.Fatalf("LibreOffice read %d lines", lines)
	}
}

// setActions sets every data row's action cell, as a filer choosing 提交 throughout would.
func setActions(tb testing.TB, data []byte, action string) []byte {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	rows, _ := f.GetRows(dataSheet)
	col, _ := excelize.ColumnNumberToName(len(columns()))
	for r := 3; r <= len(rows); r++ {
		f.SetCellStr(dataSheet, col+fmt.Sprint(r), action)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
