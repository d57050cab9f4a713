package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
)

func TestWan(t *testing.T) {
	for m, want := range map[measure.Money]string{0: "0", 1: "0.000001", 12345600: "12.3456", -100000000: "-100", 123456789012: "123456.789012"} {
		if got := wan(m); got != want {
			t.Errorf("wan(%d) = %q, want %q", m, got, want)
		}
	}
}

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
}
