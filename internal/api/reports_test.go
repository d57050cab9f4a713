package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/reportbook"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

func TestReportsOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		open := map[string]any{"park_id": w.Parks[0].ID, "kind": "quarterly", "year": 2024, "seq": 1, "deadline": "2024-04-20"}
		p := e.problem(identity.EntAdmin, "POST", "/api/v1/periods", open, 403)
		bad := map[string]any{"park_id": w.Parks[0].ID, "kind": "weekly", "year": 1999, "deadline": "2024-04-20"}
		p = e.problem(identity.ParkManager, "POST", "/api/v1/periods", bad, 422)
		if !hasField(p, "kind") || !hasField(p, "year") {
			t.Fatalf("bad period: %+v", p.Errors)
		}
		var period stats.Period
		e.do(identity.ParkManager, "POST", "/api/v1/periods", open, 201, &period)
		var mine page.Page[stats.Report]
		e.do(identity.EntMember, "GET", "/api/v1/reports?period_id="+period.ID, nil, 200, &mine)
		if len(mine.Items) != 1 {
			t.Fatalf("tenant's reports: %d", len(mine.Items))
		}
		id := mine.Items[0].ID

		figures := map[string]any{"revenue": "1000000.00", "rd_expense": 1200000, "tax": 30000.5, "employees": 40,
			"rd_staff": 12, "invention_patents_granted": 2, "invention_patents_held": 9}
		wrong := map[string]any{"revenue": -1, "employees": 12.5}
		p = e.problem(identity.EntAdmin, "POST", "/api/v1/reports/"+id+"/submit", map[string]any{"figures": wrong}, 422)
		if !hasField(p, "figures.employees") {
			t.Fatalf("non-integer headcount: %+v", p.Errors)
		}
		p = e.problem(identity.EntAdmin, "PUT", "/api/v1/reports/"+id+"/draft", map[string]any{"figures": map[string]any{"revenue": -1}}, 422)
		if !hasField(p, "revenue") {
			t.Fatalf("negative revenue: %+v", p.Errors)
		}
		p = e.problem(identity.EntAdmin, "POST", "/api/v1/reports/"+id+"/submit", map[string]any{"figures": figures}, 422)
		if !hasField(p, "rd_expense") || p.Errors[0].Code != "needs_confirmation" {
			t.Fatalf("R&D above revenue must be confirmed: %+v", p.Errors)
		}
		var detail ReportDetail
		e.do(identity.EntAdmin, "GET", "/api/v1/reports/"+id, nil, 200, &detail)
		if detail.Status != stats.Draft || len(detail.Figures) != 0 {
			t.Fatalf("refused submissions changed the report: %+v", detail.Report)
		}
		var r stats.Report
		e.do(identity.EntAdmin, "POST", "/api/v1/reports/"+id+"/submit",
			map[string]any{"figures": figures, "confirmed_warnings": []string{"rd_above_revenue"}}, 200, &r)
		if r.Status != stats.Submitted || r.Figures["tax"] != 3000050 {
			t.Fatalf("submitted: %+v", r)
		}
		e.do(identity.EntAdmin, "POST", "/api/v1/reports/"+id+"/approve", nil, 403, nil)
		p = e.problem(identity.ParkManager, "POST", "/api/v1/reports/"+id+"/return", map[string]any{"reason": ""}, 422)
		if !hasField(p, "reason") {
			t.Fatalf("return without reason: %+v", p.Errors)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/reports/"+id+"/return", map[string]any{"reason": "研发费用请按加计扣除口径"}, 200, &r)
		figures["rd_expense"] = 800000
		e.do(identity.EntAdmin, "POST", "/api/v1/reports/"+id+"/submit", map[string]any{"figures": figures}, 200, &r)
		e.do(identity.Service, "POST", "/api/v1/reports/"+id+"/approve", nil, 200, &r)
		if r.Status != stats.Approved || r.Submissions != 2 {
			t.Fatalf("approved: %+v", r)
		}
		e.do(identity.EntAdmin, "PUT", "/api/v1/reports/"+id+"/draft", map[string]any{"figures": figures}, 409, nil)
		var progress []stats.Progress
		e.do(identity.ParkManager, "GET", "/api/v1/periods/"+period.ID+"/progress", nil, 200, &progress)
		if len(progress) != 1 || progress[0].Approved != 1 || progress[0].Late != 0 {
			t.Fatalf("progress: %+v", progress)
		}
	})
}

func TestReportWorkbookOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		var period stats.Period
		e.do(identity.ParkManager, "POST", "/api/v1/periods", map[string]any{"park_id": w.Parks[0].ID, "kind": "quarterly",
			"year": 2024, "seq": 2, "deadline": "2024-07-20"}, 201, &period)
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/periods/"+period.ID+"/template", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[identity.ParkManager])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
			t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(bytes.NewReader(tmpl))
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := book.GetCellValue("填报", "A3"); code != w.Enterprises[0].CreditCode {
			t.Fatalf("template row 3 is %q", code)
		}
		fill := func(cells map[string]string) []byte {
			for col, v := range cells {
				book.SetCellStr("填报", col+"3", v)
			}
			var buf bytes.Buffer
			book.Write(&buf)
			return buf.Bytes()
		}
		// A credit code, name, C revenue, D output, E R&D, F tax, G employees, H R&D staff,
		// I/J invention patents, K other patents, L financing, M exports, N action.
		bad := fill(map[string]string{"C": "１,２００.５", "E": "30", "F": "-1", "G": "40.5", "H": "12", "I": "1", "J": "6", "N": "提交"})
		p := e.problem(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/imports", bad, 422)
		if len(p.Errors) != 2 || !hasField(p, "F3") || !hasField(p, "G3") {
			t.Fatalf("bad cells: %+v", p.Errors)
		}
		var list page.Page[stats.Report]
		e.do(identity.ParkManager, "GET", "/api/v1/reports?period_id="+period.ID, nil, 200, &list)
		if len(list.Items[0].Figures) != 0 {
			t.Fatalf("a refused upload wrote %v", list.Items[0].Figures)
		}
		good := fill(map[string]string{"F": "2.5", "G": "40"})
		var result reportbook.Result
		e.do(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/imports?dry_run=true", good, 200, &result)
		if result.Committed || result.Submitted != 1 || len(result.Problems) != 0 {
			t.Fatalf("dry run: %+v", result)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/imports", good, 200, &result)
		if !result.Committed || result.Submitted != 1 {
			t.Fatalf("import: %+v", result)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/reports?period_id="+period.ID, nil, 200, &list)
		if r := list.Items[0]; r.Status != stats.Submitted || r.Figures["revenue"] != 12_005_000_00 || r.Figures["tax"] != 25_000_00 {
			t.Fatalf("imported report: %+v", r)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/imports", good, 200, &result)
		if !result.Committed || result.Unchanged != 1 || result.Submitted+result.Changed != 0 {
			t.Fatalf("the same file again: %+v", result)
		}
		p = e.problem(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/imports", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 422)
		if !strings.Contains(p.Detail, "xlsx") {
			t.Fatalf("not a workbook: %+v", p)
		}
	})
}

// TestBulkApproval: approving a period's submitted reports at once approves those and only
// those in the caller's scope, audits each, and a second call finds none; the tenant may not.
func TestBulkApproval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		var period stats.Period
		e.do(identity.Authority, "POST", "/api/v1/periods", map[string]any{"kind": "annual", "year": 2030, "deadline": "2031-04-20"}, 201, &period)
		figures := map[string]any{"revenue": "100", "rd_expense": "1", "tax": "1", "employees": 1, "rd_staff": 1,
			"invention_patents_granted": 0, "invention_patents_held": 0}
		for _, role := range []identity.Role{identity.EntAdmin} {
			var mine page.Page[stats.Report]
			e.do(role, "GET", "/api/v1/reports?period_id="+period.ID, nil, 200, &mine)
			e.do(role, "POST", "/api/v1/reports/"+mine.Items[0].ID+"/submit", map[string]any{"figures": figures}, 200, nil)
		}
		other, err := e.store.ListReports(context.Background(), identity.System(), stats.ReportFilter{PeriodID: period.ID, EnterpriseID: w.Enterprises[1].ID}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.StatsOf(e.store).SubmitReport(context.Background(), identity.Scope{Role: identity.EntAdmin, EnterpriseID: w.Enterprises[1].ID},
			other.Items[0].ID, stats.Figures{"revenue": 10000, "rd_expense": 100, "tax": 100, "employees": 1, "rd_staff": 1, "invention_patents_granted": 0, "invention_patents_held": 0}, nil); err != nil {
			t.Fatal(err)
		}
		e.do(identity.EntAdmin, "POST", "/api/v1/periods/"+period.ID+"/approve-submitted", nil, 403, nil)
		var n ApprovedCount
		e.do(identity.ParkManager, "POST", "/api/v1/periods/"+period.ID+"/approve-submitted", nil, 200, &n)
		if n.Approved != 1 {
			t.Fatalf("park 0's manager approved %d, want its one submitted report", n.Approved)
		}
		theirs, _ := e.store.GetReport(context.Background(), identity.System(), other.Items[0].ID)
		if theirs.Status != stats.Submitted {
			t.Errorf("another park's report was approved: %s", theirs.Status)
		}
		e.do(identity.Authority, "POST", "/api/v1/periods/"+period.ID+"/approve-submitted", nil, 200, &n)
		if n.Approved != 1 {
			t.Errorf("the authority approved %d, want the remaining one", n.Approved)
		}
		e.do(identity.Authority, "POST", "/api/v1/periods/"+period.ID+"/approve-submitted", nil, 200, &n)
		if n.Approved != 0 {
			t.Errorf("a second call approved %d", n.Approved)
		}
	})
}
