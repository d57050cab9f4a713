package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
	"github.com/xuri/excelize/v2"
)

func TestReportPages(t *testing.T) {
	s := newSite(t)
	w := s.world
	manager, tenant := s.login(identity.ParkManager), s.login(identity.EntAdmin)

	res, body := s.send(manager, "POST", "/periods/new", url.Values{"park_id": {w.Parks[0].ID}, "kind": {"quarterly"}, "year": {"2024"},
		"seq": {"9"}, "deadline": {"2024-04-20"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-seq"`) {
		t.Fatalf("bad period form: %d", res.StatusCode)
	}
	res, _ = s.send(manager, "POST", "/periods/new", url.Values{"park_id": {w.Parks[0].ID}, "kind": {"quarterly"}, "year": {"2024"},
		"seq": {"1"}, "deadline": {"2024-04-20"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("period form: %d", res.StatusCode)
	}
	periodPage := res.Header.Get("Location")
	if _, body = s.send(manager, "GET", periodPage, nil); !strings.Contains(body, "2024年第1季度") || !strings.Contains(body, `id="progress"`) {
		t.Fatal("period page lacks its label or progress")
	}
	reports, _ := s.store.ListReports(context.Background(), identity.System(), stats.ReportFilter{EnterpriseID: w.Enterprises[0].ID}, page.Request{})
	reportPage := "/reports/" + reports.Items[0].ID

	_, body = s.send(tenant, "GET", "/reports", nil)
	if !strings.Contains(body, reportPage) {
		t.Fatal("the tenant's report list does not link its report")
	}
	form := url.Values{"revenue": {"１，２００.５"}, "rd_expense": {"1300"}, "tax": {"30"}, "employees": {"12.5"}, "rd_staff": {"8"},
		"invention_patents_granted": {"1"}, "invention_patents_held": {"4"}}
	res, body = s.send(tenant, "POST", reportPage+"/submit", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-employees"`) || !strings.Contains(body, `value="12.5"`) {
		t.Fatalf("fractional headcount: %d", res.StatusCode)
	}
	form.Set("employees", "40")
	res, body = s.send(tenant, "POST", reportPage+"/submit", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="rd_above_revenue"`) {
		t.Fatalf("R&D above revenue must be confirmed: %d", res.StatusCode)
	}
	if r, _ := s.store.GetReport(context.Background(), identity.System(), reports.Items[0].ID); r.Status != stats.Draft || len(r.Figures) != 0 {
		t.Fatalf("refused submissions wrote: %+v", r)
	}
	form["confirm"] = []string{"rd_above_revenue"}
	if res, _ = s.send(tenant, "POST", reportPage+"/submit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed submission: %d", res.StatusCode)
	}
	r, _ := s.store.GetReport(context.Background(), identity.System(), reports.Items[0].ID)
	if r.Status != stats.Submitted || r.Figures["revenue"] != 1200_5000_00 || r.Figures["employees"] != 40 {
		t.Fatalf("submitted: %+v", r)
	}

	if res, _ = s.send(tenant, "POST", reportPage+"/approve", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("tenant approving: %d", res.StatusCode)
	}
	res, body = s.send(manager, "POST", reportPage+"/return", url.Values{"reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="action-error"`) {
		t.Fatalf("return without reason: %d", res.StatusCode)
	}
	s.send(manager, "POST", reportPage+"/return", url.Values{"reason": {"研发费用请按加计扣除口径"}})
	if _, body = s.send(tenant, "GET", reportPage, nil); !strings.Contains(body, "研发费用请按加计扣除口径") || !strings.Contains(body, `id="report-form"`) {
		t.Fatal("the returned report shows neither its reason nor the form")
	}
	form.Set("rd_expense", "800")
	delete(form, "confirm")
	if res, _ = s.send(tenant, "POST", reportPage+"/submit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmission: %d", res.StatusCode)
	}
	if res, _ = s.send(manager, "POST", reportPage+"/approve", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	if _, body = s.send(tenant, "GET", reportPage, nil); strings.Contains(body, `id="report-form"`) || !strings.Contains(body, "1200.5") {
		t.Fatal("an approved report is still editable or does not show its figures in 万元")
	}
	if _, body = s.send(manager, "GET", periodPage, nil); !strings.Contains(body, `<td class="num">1</td><td class="num">0</td>`) {
		t.Fatal("the period's progress does not count the approved report")
	}
	if res, _ = s.send(tenant, "POST", periodPage+"/close", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("tenant closing the period: %d", res.StatusCode)
	}
	if res, _ = s.send(manager, "POST", periodPage+"/close", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", res.StatusCode)
	}
	if _, body = s.send(manager, "GET", periodPage, nil); !strings.Contains(body, `id="period-closed"`) || strings.Contains(body, `id="upload"`) {
		t.Fatal("a closed period is not marked, or still takes uploads")
	}
}

func (s *site) upload(c *http.Client, path, name string, data []byte) (*http.Response, string) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", name)
	part.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", s.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(c, req)
}

func TestWorkbookUploadPreviewAndCommit(t *testing.T) {
	s := newSite(t)
	w := s.world
	manager := s.login(identity.ParkManager)
	res, _ := s.send(manager, "POST", "/periods/new", url.Values{"park_id": {w.Parks[0].ID}, "kind": {"annual"}, "year": {"2024"},
		"seq": {"0"}, "deadline": {"2025-03-31"}})
	periodPage := res.Header.Get("Location")
	res, tmpl := s.send(manager, "GET", periodPage+"/template.xlsx", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("template: %d", res.StatusCode)
	}
	book, err := excelize.OpenReader(strings.NewReader(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	book.SetCellStr("填报", "C3", "一千万")
	var buf bytes.Buffer
	book.Write(&buf)

	res, _ = s.upload(manager, periodPage+"/upload", "年报.xlsx", buf.Bytes())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	preview := res.Header.Get("Location")
	_, body := s.send(manager, "GET", preview, nil)
	if !strings.Contains(body, `id="problems"`) || !strings.Contains(body, "<td>C</td>") || strings.Contains(body, `id="commit"`) {
		t.Fatal("the preview does not list the bad cell C3, or offers to commit")
	}
	res, marked := s.send(manager, "GET", preview+"/annotated.xlsx", nil)
	if res.StatusCode != 200 {
		t.Fatalf("annotated copy: %d", res.StatusCode)
	}
	af, _ := excelize.OpenReader(strings.NewReader(marked))
	if comments, _ := af.GetComments("填报"); len(comments) != 1 || comments[0].Cell != "C3" {
		t.Fatalf("annotated comments: %+v", comments)
	}
	if res, _ = s.send(manager, "POST", preview+"/commit", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("committing a bad upload: %d", res.StatusCode)
	}

	book.SetCellStr("填报", "C3", "1,000")
	buf.Reset()
	book.Write(&buf)
	res, _ = s.upload(manager, periodPage+"/upload", "年报.xlsx", buf.Bytes())
	preview = res.Header.Get("Location")
	if _, body = s.send(manager, "GET", preview, nil); !strings.Contains(body, `id="commit"`) {
		t.Fatal("a good upload cannot be committed")
	}
	other := s.login(identity.Leasing)
	if res, _ = s.send(other, "GET", preview, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another user's upload: %d", res.StatusCode)
	}
	res, _ = s.send(manager, "POST", preview+"/commit", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: %d", res.StatusCode)
	}
	if _, body = s.send(manager, "GET", res.Header.Get("Location"), nil); !strings.Contains(body, `id="imported"`) {
		t.Fatal("the period page does not report the import")
	}
	reports, _ := s.store.ListReports(context.Background(), identity.System(), stats.ReportFilter{EnterpriseID: w.Enterprises[0].ID}, page.Request{})
	if reports.Items[0].Figures["revenue"] != 1000_0000_00 {
		t.Fatalf("imported revenue: %v", reports.Items[0].Figures)
	}
	if res, _ = s.upload(manager, periodPage+"/upload", "x.png", []byte("\x89PNG\r\n\x1a\n\x00")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("non-workbook upload: %d", res.StatusCode)
	}
	if res, body = s.send(manager, "GET", res.Header.Get("Location"), nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "xlsx") {
		t.Fatalf("non-workbook preview: %d", res.StatusCode)
	}
}

func TestFilingReminders(t *testing.T) {
	s := newSite(t)
	w := s.world
	manager, tenant := s.login(identity.ParkManager), s.login(identity.EntAdmin)
	last := civil.SystemClock{}.Today().AddDays(-civil.SystemClock{}.Today().Time().Day()) // the last day of last month
	res, _ := s.send(manager, "POST", "/periods/new", url.Values{"park_id": {w.Parks[0].ID}, "kind": {"monthly"},
		"year": {strconv.Itoa(last.Year())}, "seq": {strconv.Itoa(int(last.Month()))}, "deadline": {civil.SystemClock{}.Today().AddDays(7).String()}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("period: %d", res.StatusCode)
	}
	if _, body := s.send(manager, "GET", "/", nil); !strings.Contains(body, `id="filing-reminders"`) || !strings.Contains(body, "1 家企业未提交") {
		t.Fatal("the park manager's home does not remind of the unsubmitted report")
	}
	_, body := s.send(tenant, "GET", "/enterprises/"+w.Enterprises[0].ID, nil)
	if !strings.Contains(body, `id="reports-due"`) || !strings.Contains(body, `href="/reports/`) {
		t.Fatal("the tenant's enterprise page does not show the report due")
	}
	if _, body = s.send(manager, "GET", "/enterprises/"+w.Enterprises[0].ID, nil); strings.Contains(body, `id="reports-due"`) {
		t.Fatal("park staff see the tenant's own reminder")
	}
}
