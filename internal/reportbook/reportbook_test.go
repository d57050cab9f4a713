package reportbook

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
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
	// An enterprise without a credit code is listed by name; left untouched, its row is skipped.
	data, err := Template("2026年第3季度 企业统计报表", append(ms, Member{Name: "无代码企业"}))
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
	if testing.Short() {
		t.Skip("a 10,000-row workbook; runs without -short")
	}
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

	importWritesNothing(t, ms, upload, want)

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

// importWritesNothing imports the planted upload into a store whose period has the 10,000
// enterprises: the same 37 cells are refused and no report, nor the audit log, changes.
func importWritesNothing(t *testing.T, ms []Member, upload []byte, want map[string]string) {
	ctx, sys := context.Background(), identity.System()
	st := storetest.OpenSQLite(t)
	w := storetest.NewWorld(t, st)
	now := time.Now()
	err := st.BulkLoad(ctx, sys, func(bk *sqlstore.Bulk) error {
		rows := make([][]any, len(ms))
		for i, m := range ms {
			rows[i] = []any{fmt.Sprintf("e-%05d", i), w.Parks[0].ID, m.Name, m.CreditCode, "incubating", now, now}
		}
		return bk.Insert("enterprises", []string{"id", "park_id", "name", "credit_code", "stage", "created_at", "updated_at"}, rows)
	})
	if err != nil {
		t.Fatal(err)
	}
	period, err := storetest.StatsOf(st).OpenPeriod(ctx, sys, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Quarterly, Year: 2026, Seq: 3, Deadline: civil.Of(2026, 10, 20)})
	if err != nil {
		t.Fatal(err)
	}
	auditCount := func() int {
		entries, err := page.All(func(r page.Request) (page.Page[audit.Entry], error) { return st.ListAudit(ctx, sys, audit.Filter{}, r) }, math.MaxInt)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	before := auditCount()
	res, _, err := Import(ctx, storetest.StatsOf(st), sys, period.ID, upload, sheet.DefaultLimits, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Committed || len(res.Problems) != 37 {
		t.Fatalf("import: committed %v with %d problems", res.Committed, len(res.Problems))
	}
	for _, pr := range res.Problems {
		if want[pr.Column+fmt.Sprint(pr.Row)] != pr.Code {
			t.Errorf("import problem %s%d %s not planted", pr.Column, pr.Row, pr.Code)
		}
	}
	reports, err := page.All(func(r page.Request) (page.Page[stats.Report], error) {
		return st.ListReports(ctx, sys, stats.ReportFilter{PeriodID: period.ID}, r)
	}, math.MaxInt)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < len(ms) {
		t.Fatalf("%d reports in the period", len(reports))
	}
	for _, r := range reports {
		if len(r.Figures) > 0 || r.Status != stats.Draft {
			t.Fatalf("a refused import wrote %s: %v", r.Status, r.Figures)
		}
	}
	if after := auditCount(); after != before {
		t.Errorf("a refused import wrote %d audit entries", after-before)
	}
	// A file that is not a workbook at all is parsed while the import reads the period: its
	// error still comes back, and nothing is written.
	if _, _, err := Import(ctx, storetest.StatsOf(st), sys, period.ID, []byte("PK\x03\x04 not a workbook"), sheet.DefaultLimits, false); err == nil {
		t.Fatal("an unreadable upload was accepted")
	}
	if after := auditCount(); after != before {
		t.Errorf("an unreadable upload wrote %d audit entries", after-before)
	}
}

// opensInLibreOffice converts the workbook to CSV with LibreOffice and checks it read the rows.
// It runs only when asked (PARKOS_TEST_LIBREOFFICE=1, as .ci/run sets), so that a local run
// never depends on an office suite that happens to be installed.
func opensInLibreOffice(t *testing.T, data []byte) {
	if os.Getenv("PARKOS_TEST_LIBREOFFICE") != "1" {
		t.Log("the annotated copy was not opened in LibreOffice: set PARKOS_TEST_LIBREOFFICE=1 to do so")
		return
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice (soffice) is not installed; scripts/ensure-libreoffice installs libreoffice-calc-nogui")
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
	defer f.Close() // a big sheet is unzipped to a temporary file, removed here
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

// FuzzRead: no file, however malformed, panics the filing workbook's reader; every problem
// it reports names a row and a column.
func FuzzRead(f *testing.F) {
	ms, _ := members(3)
	tmpl, err := Template("2026年第3季度", ms)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl)
	f.Add([]byte("统一社会信用代码,企业名称,营业收入（万元）,操作\n91110108MA0000001X,甲,1200.5,提交\n,乙,-1,\n"))
	lim := sheet.Limits{MaxBytes: 1 << 20, MaxUncompressed: 8 << 20, MaxRows: 1000, MaxCells: 20000, MaxStrings: 10000}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(data, lim, func(string) bool { return true })
		if err != nil {
			return
		}
		for _, pr := range p.Problems {
			if pr.Row < 1 || pr.Column == "" {
				t.Fatalf("a problem without its cell: %+v", pr)
			}
		}
	})
}
