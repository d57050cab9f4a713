package web

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/identity"
)

// workbook downloads an xlsx export and opens it.
func (s *site) workbook(c *http.Client, path string) (*excelize.File, string) {
	s.t.Helper()
	res, body := s.send(c, "GET", path, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
		s.t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		s.t.Fatalf("%s is not a workbook: %v", path, err)
	}
	return x, x.GetSheetName(0)
}

// column finds a header in the first row: its column letter.
func headerColumn(t *testing.T, x *excelize.File, sh, header string) string {
	t.Helper()
	rows, _ := x.GetRows(sh)
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("no column %q in %v", header, rows[0])
	return ""
}

// numberIn checks a cell holds a number in the given format.
func numberIn(t *testing.T, x *excelize.File, sh, cell, format string) string {
	t.Helper()
	v, _ := x.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
	if ct, _ := x.GetCellType(sh, cell); ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
		t.Errorf("%s!%s holds text %q, not a number", sh, cell, v)
	}
	id, _ := x.GetCellStyle(sh, cell)
	if st, _ := x.GetStyle(id); st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != format {
		t.Errorf("%s!%s is not formatted %s", sh, cell, format)
	}
	return v
}

// TestExportsAreExcelNative: every list and table export is a workbook a finance clerk can
// work in: units in the headers, numbers and dates stored as such, frozen filtered headers,
// 注册资本 in 万元 as the console shows it, a contract's status, and the charge schedule's and
// rent roll's sums as formulas with the deposit apart from rent.
func TestExportsAreExcelNative(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.Leasing)
	w := s.world
	res, body := s.send(c, "POST", "/contracts/new", url.Values{"park_id": {w.Parks[0].ID}, "number": {"HT-XLSX"},
		"enterprise_id": {w.Enterprises[0].ID}, "unit_ids": {w.Units[0][2].ID}, "start_on": {"2025-01-01"}, "end_on": {"2025-12-31"},
		"price": {"5"}, "property_fee": {"12"}, "deposit_months": {"2"}, "payment_cycle": {"3"}, "day_count": {"365/12"}, "sign": {"true"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract: %d %s", res.StatusCode, body)
	}
	contract := res.Header.Get("Location")

	x, sh := s.workbook(c, "/units.xlsx")
	area := headerColumn(t, x, sh, "建筑面积（㎡）")
	numberIn(t, x, sh, area+"2", "#,##0.00")
	numberIn(t, x, sh, headerColumn(t, x, sh, "挂牌租金（元/㎡/天）")+"2", "#,##0.00##")
	if panes, _ := x.GetPanes(sh); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("units: the header is not frozen: %+v", panes)
	}
	if names := x.GetDefinedName(); len(names) == 0 || names[0].Name != "_xlnm._FilterDatabase" {
		t.Errorf("units: no auto-filter: %+v", names)
	}

	x, sh = s.workbook(c, "/enterprises.xlsx")
	capital := headerColumn(t, x, sh, "注册资本（万元）")
	numberIn(t, x, sh, capital+"2", "#,##0.00")
	numberIn(t, x, sh, headerColumn(t, x, sh, "从业人员")+"2", "#,##0")

	x, sh = s.workbook(c, "/contracts.xlsx")
	status := headerColumn(t, x, sh, "合同编号 · 状态")
	rows, _ := x.GetRows(sh)
	if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], "|"), "HT-XLSX") {
		t.Fatalf("contracts: %v", rows)
	}
	if v, _ := x.GetCellValue(sh, status+"2"); v == "" {
		t.Error("contracts: the status is not exported")
	}
	numberIn(t, x, sh, headerColumn(t, x, sh, "起租日")+"2", "yyyy-mm-dd")

	x, sh = s.workbook(c, contract+"/schedule/xlsx")
	rows, _ = x.GetRows(sh)
	amount := headerColumn(t, x, sh, "金额（元）")
	formulas := map[string]string{}
	for r := range rows {
		cell := amount + strconv.Itoa(r+1)
		if f, _ := x.GetCellFormula(sh, cell); f != "" {
			formulas[rows[r][0]] = f
		}
	}
	for label, want := range map[string]string{
		"小计：租金": "SUMIF(", "小计：押金": "SUMIF(", "应收合计（不含押金）": `"<>押金"`, "应收合计": "SUMIFS(",
	} {
		if !strings.Contains(formulas[label], want) {
			t.Errorf("schedule: %s has the formula %q, want %s…", label, formulas[label], want)
		}
	}
	numberIn(t, x, sh, amount+"2", "#,##0.00")
	numberIn(t, x, sh, headerColumn(t, x, sh, "应付日")+"2", "yyyy-mm-dd")

	x, sh = s.workbook(c, "/parks/"+w.Parks[0].ID+"/rent-roll/xlsx")
	rows, _ = x.GetRows(sh)
	last := len(rows)
	if rows[last-1][0] != "合计" {
		t.Fatalf("rent roll: the last row is %v", rows[last-1])
	}
	rent := headerColumn(t, x, sh, "月租金（元）")
	if f, _ := x.GetCellFormula(sh, rent+strconv.Itoa(last)); f != "SUBTOTAL(9,"+rent+"2:"+rent+strconv.Itoa(last-1)+")" {
		t.Errorf("rent roll: the total is %q", f)
	}

	// A contract number cannot end the download's header early or name the sheet badly.
	res, body = s.send(c, "POST", "/contracts/new", url.Values{"park_id": {w.Parks[0].ID}, "number": {`'x.html";a="`},
		"enterprise_id": {w.Enterprises[0].ID}, "unit_ids": {w.Units[0][1].ID}, "start_on": {"2025-01-01"}, "end_on": {"2025-06-30"},
		"price": {"5"}, "payment_cycle": {"1"}, "day_count": {"365/12"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract with quotes in its number: %d %s", res.StatusCode, body)
	}
	odd := res.Header.Get("Location")
	for _, format := range []string{"xlsx", "csv"} {
		res, _ = s.send(c, "GET", odd+"/schedule/"+format, nil)
		_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
		if res.StatusCode != 200 || err != nil || !strings.HasPrefix(params["filename"], `schedule-'x.html";a="-`) ||
			!strings.HasSuffix(params["filename"], "."+format) || len(params) != 1 {
			t.Errorf("%s: %d, Content-Disposition %q (%v)", format, res.StatusCode, res.Header.Get("Content-Disposition"), params)
		}
	}
	res, body = s.send(c, "GET", contract+"/schedule/csv", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "小计：押金") || !strings.Contains(body, "应收合计（不含押金）") {
		t.Errorf("schedule csv: %d %s", res.StatusCode, body)
	}
}
