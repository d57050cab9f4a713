package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// TestServicePages walks the service desk in the console: the tenant's catalog and request
// form (a repair without its unit refused at the field), staff assign, comment internally and
// resolve, the tenant attaches files (a wrong type and an oversized file refused, nothing kept)
// and rates, the other park's staff cannot open it, and the report exports numbers as numbers.
func TestServicePages(t *testing.T) {
	s := newSite(t)
	w := s.world
	staff, tenant, service := s.login(identity.ParkManager), s.login(identity.EntAdmin), s.login(identity.Service)
	res, body := s.send(tenant, "GET", "/services", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "物业报修") || !strings.Contains(body, "产业技术服务体系") {
		t.Fatalf("the tenant's catalog: %d", res.StatusCode)
	}
	res, body = s.send(tenant, "POST", "/services/requests/new", url.Values{"category_id": {"svc-repair"}, "title": {"漏水"}, "body": {"卫生间漏水"}})
	if res.StatusCode != 422 || !strings.Contains(body, `id="e-unit_id"`) {
		t.Fatalf("a repair without its unit: %d, want the unit field named", res.StatusCode)
	}
	res, _ = s.send(tenant, "POST", "/services/requests/new", url.Values{"category_id": {"svc-repair"}, "unit_id": {w.Units[0][0].ID},
		"title": {"漏水"}, "body": {"卫生间漏水"}})
	if res.StatusCode != 303 {
		t.Fatalf("submit a repair: %d", res.StatusCode)
	}
	ticket := res.Header.Get("Location")
	_, body = s.send(service, "GET", "/services/requests?queue=open", nil)
	if !strings.Contains(body, ticket) {
		t.Errorf("the park's open queue does not list the repair")
	}
	res, body = s.send(staff, "POST", ticket+"/act", url.Values{"action": {"assign"}, "assignee": {"u_leasing"}})
	if res.StatusCode != 422 || !strings.Contains(body, "处理人须为在职的服务人员") {
		t.Errorf("assign to a leasing user: %d", res.StatusCode)
	}
	for _, form := range []url.Values{{"action": {"assign"}, "assignee": {"u_service"}}, {"action": {"start"}}} {
		if res, _ := s.send(staff, "POST", ticket+"/act", form); res.StatusCode != 303 {
			t.Fatalf("%s: %d", form.Get("action"), res.StatusCode)
		}
	}
	s.send(service, "POST", ticket+"/comment", url.Values{"body": {"阀门老化"}, "internal": {"true"}})
	res, body = s.send(tenant, "POST", ticket+"/comment", url.Values{"body": {"x"}, "internal": {"true"}})
	if res.StatusCode != 422 || !strings.Contains(body, "只有处理方可以写内部备注") {
		t.Errorf("a tenant's internal note: %d", res.StatusCode)
	}
	res, body = s.upload(tenant, ticket+"/attach", "run.exe", []byte("MZ"))
	if res.StatusCode != 422 || !strings.Contains(body, "只接受") {
		t.Errorf("an executable attachment: %d", res.StatusCode)
	}
	res, body = s.upload(tenant, ticket+"/attach", "big.txt", bytes.Repeat([]byte("a"), 5<<20+1))
	if res.StatusCode != 413 || !strings.Contains(body, "5 MB") {
		t.Errorf("an oversized attachment: %d", res.StatusCode)
	}
	if res, _ := s.upload(tenant, ticket+"/attach", "位置.txt", []byte("二层卫生间")); res.StatusCode != 303 {
		t.Fatalf("attach: %d", res.StatusCode)
	}
	if res, _ := s.send(service, "POST", ticket+"/act", url.Values{"action": {"resolve"}, "note": {"已更换阀门"}}); res.StatusCode != 303 {
		t.Fatalf("resolve: %d", res.StatusCode)
	}
	_, body = s.send(tenant, "GET", ticket, nil)
	if strings.Contains(body, "阀门老化") || !strings.Contains(body, "已更换阀门") || strings.Count(body, "/services/attachments/") != 1 {
		t.Errorf("the tenant's view: internal note hidden, resolution and one attachment shown")
	}
	res, body = s.send(tenant, "POST", ticket+"/rate", url.Values{"rating": {"9"}})
	if res.StatusCode != 422 || !strings.Contains(body, "1 到 5") {
		t.Errorf("a rating of 9: %d", res.StatusCode)
	}
	if res, _ := s.send(tenant, "POST", ticket+"/rate", url.Values{"rating": {"5"}, "comment": {"很快"}}); res.StatusCode != 303 {
		t.Fatalf("rate: %d", res.StatusCode)
	}
	_, body = s.send(tenant, "GET", ticket, nil)
	if !strings.Contains(body, "5 / 5") || !strings.Contains(body, "已关闭") {
		t.Errorf("the rated request")
	}
	other := s.loginAs(identity.UserInput{Username: "other_pm", Role: identity.ParkManager, ParkIDs: []string{w.Parks[1].ID}})
	if res, _ := s.send(other, "GET", ticket, nil); res.StatusCode != 404 {
		t.Errorf("another park's staff open the request: %d", res.StatusCode)
	}
	platform := url.Values{"park_id": {w.Parks[0].ID}, "code": {"hr"}, "system": {"enterprise"}, "name_zh": {"人才服务"}, "name_en": {"Talent"}, "active": {"true"}}
	if res, _ := s.send(staff, "POST", "/services/platforms", platform); res.StatusCode != 303 {
		t.Fatalf("rename a platform: %d", res.StatusCode)
	}
	if _, body := s.send(tenant, "GET", "/services", nil); !strings.Contains(body, "人才服务") {
		t.Errorf("the tenant's catalog does not show the renamed platform")
	}
	platform.Set("park_id", w.Parks[1].ID)
	if res, _ := s.send(staff, "POST", "/services/platforms", platform); res.StatusCode != 404 {
		t.Errorf("rename another park's platform: %d", res.StatusCode)
	}
	f, sheet := s.workbook(staff, "/services/reports.xlsx?by=park")
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 3 {
		t.Fatalf("the report workbook: %v %v", err, rows)
	}
	if v, _ := f.GetCellValue(sheet, "B2"); v != "1" {
		t.Errorf("the park's volume in the workbook: %q", v)
	}
	if typ, _ := f.GetCellType(sheet, "B2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("the volume is written as text")
	}
}

// loginAs makes a user and signs them in.
func (s *site) loginAs(in identity.UserInput) *http.Client {
	s.t.Helper()
	in.Password = s.world.Password
	if _, err := storetest.AccountsOf(s.store).CreateUser(context.Background(), identity.System(), in); err != nil {
		s.t.Fatal(err)
	}
	c := s.browser()
	if res, body := s.send(c, "POST", "/login", url.Values{"username": {in.Username}, "password": {in.Password}}); res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login as %s: %d %s", in.Username, res.StatusCode, body)
	}
	return c
}
