package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/storetest"
)

// The served document lists exactly the routes the server answers, and each documented
// operation reaches its own handler in the mux (not the catch-all).
func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	e.do("", "GET", "/api/v1/openapi.json", nil, 200, &doc)
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	served := e.api.Patterns()
	sort.Strings(documented)
	sort.Strings(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("document and routes differ:\ndocumented %v\nserved     %v", documented, served)
	}
	if len(served) < 40 {
		t.Fatalf("only %d routes", len(served))
	}
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		concrete := strings.NewReplacer("{id}", "some-id").Replace(path)
		_, pattern := e.api.mux.Handler(httptest.NewRequest(method, concrete, nil))
		if pattern != op {
			t.Errorf("documented %s is served by %q", op, pattern)
		}
	}
	for _, must := range []string{"/api/v1/parks", "/api/v1/buildings", "/api/v1/units", "/api/v1/enterprises", "/api/v1/users"} {
		for _, m := range []string{"get", "post"} {
			if doc.Paths[must][m] == nil || doc.Paths[must+"/{id}"]["patch"] == nil || doc.Paths[must+"/{id}"]["delete"] == nil {
				t.Errorf("%s lacks %s, PATCH or DELETE", must, m)
			}
		}
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		countEnterprises := func() int {
			var pg page.Page[enterprise.Enterprise]
			e.do(identity.Admin, "GET", "/api/v1/enterprises", nil, 200, &pg)
			return len(pg.Items)
		}
		before := countEnterprises()
		p := e.problem(identity.Admin, "POST", "/api/v1/enterprises",
			map[string]any{"name": "坏代码公司", "credit_code": "91110108MA00000010"}, 422)
		if !hasField(p, "credit_code") {
			t.Fatalf("wrong credit code: %+v", p)
		}
		if countEnterprises() != before {
			t.Fatal("a refused enterprise was written")
		}
		e.problem(identity.Admin, "POST", "/api/v1/parks", `{"code": "X", "name_zh": `, 400)
		e.problem(identity.Admin, "POST", "/api/v1/parks", `[1, 2]`, 400)
		e.problem(identity.Admin, "POST", "/api/v1/parks", `{"code":"`+strings.Repeat("x", httpin.MaxBody)+`"}`, 413)
		e.problem(identity.Admin, "GET", "/api/v1/units/no-such-unit", nil, 404)
		e.problem(identity.Admin, "GET", "/api/v1/no-such-collection", nil, 404)
		p = e.problem(identity.Admin, "DELETE", "/api/v1/parks/"+w.Parks[0].ID, nil, 409)
		if !strings.Contains(p.Detail, "楼宇") {
			t.Fatalf("409 without the reason: %+v", p)
		}
		e.do(identity.Admin, "GET", "/api/v1/parks/"+w.Parks[0].ID, nil, 200, nil)

		p = e.problem(identity.ParkManager, "POST", "/api/v1/units", map[string]any{"floor_id": w.Floors[0].ID, "code": "N1",
			"kind": "lab", "gross_area": "12.345", "facilities": map[string]any{"floor_load": true}, "bogus": 1}, 422)
		for _, f := range []string{"gross_area", "facilities.floor_load", "bogus"} {
			if !hasField(p, f) {
				t.Errorf("field %s not named: %+v", f, p.Errors)
			}
		}
		p = e.problem(identity.ParkManager, "GET", "/api/v1/units?on=2024-02-30&leasable=maybe&limit=x&sort=secret", nil, 422)
		for _, f := range []string{"on", "leasable", "limit"} {
			if !hasField(p, f) {
				t.Errorf("query field %s not named: %+v", f, p.Errors)
			}
		}
		e.problem("", "GET", "/api/v1/parks", nil, 401)
		e.problem(identity.Admin, "POST", "/api/v1/session", map[string]string{"username": "u_admin", "password": "nope"}, 401)
		p = e.problem(identity.Admin, "POST", "/api/v1/session", map[string]string{}, 422)
		if !hasField(p, "username") || !hasField(p, "password") {
			t.Fatalf("empty login: %+v", p)
		}
	})
}

func TestPanicIsA500AndTheServerGoesOn(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	p := e.problem("", "GET", "/boom", nil, 500)
	if p.Code != "internal" || strings.Contains(p.Detail, "deliberate") {
		t.Fatalf("panic answer: %+v", p)
	}
	if !strings.Contains(e.logs.String(), "deliberate test panic") {
		t.Fatal("panic not logged")
	}
	e.do("", "GET", "/healthz", nil, 200, nil)
	e.do(identity.Admin, "GET", "/api/v1/parks", nil, 200, nil)
}

func TestScopesOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		var parks page.Page[space.Park]
		e.do(identity.ParkManager, "GET", "/api/v1/parks", nil, 200, &parks)
		if len(parks.Items) != 1 || parks.Items[0].ID != w.Parks[0].ID {
			t.Fatalf("operator parks: %+v", parks.Items)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/parks/"+w.Parks[1].ID, nil, 404, nil)
		e.do(identity.ParkManager, "GET", "/api/v1/units/"+w.Units[1][0].ID, nil, 404, nil)
		e.do(identity.ParkManager, "PATCH", "/api/v1/units/"+w.Units[1][0].ID, map[string]any{"note": "x"}, 404, nil)
		e.do(identity.ParkManager, "DELETE", "/api/v1/enterprises/"+w.Enterprises[1].ID, nil, 404, nil)
		e.do(identity.EntAdmin, "GET", "/api/v1/enterprises/"+w.Enterprises[1].ID, nil, 404, nil)
		e.do(identity.EntMember, "GET", "/api/v1/enterprises/"+w.Enterprises[0].ID, nil, 200, nil)
		e.do(identity.EntMember, "PATCH", "/api/v1/enterprises/"+w.Enterprises[0].ID, map[string]any{"employees": 3}, 403, nil)
		e.do(identity.Authority, "POST", "/api/v1/parks", map[string]any{"code": "NEW", "name_zh": "新园区"}, 403, nil)
		var me identity.User
		e.do(identity.EntAdmin, "GET", "/api/v1/me", nil, 200, &me)
		if me.EnterpriseID != w.Enterprises[0].ID {
			t.Fatalf("me: %+v", me)
		}
	})
}

func TestWriteFlows(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		// PATCH is a merge: one nested field changes, the rest stays.
		var u space.Unit
		e.do(identity.Leasing, "PATCH", "/api/v1/units/"+w.Units[0][1].ID,
			map[string]any{"facilities": map[string]any{"biosafety_level": "BSL-2"}, "list_rent": 5.25}, 200, &u)
		if u.Facilities.BiosafetyLevel != "BSL-2" || u.ListRent != 52500 || u.GrossArea != w.Units[0][1].GrossArea ||
			len(u.NeighbourIDs) != 2 {
			t.Fatalf("patched unit: %+v", u)
		}
		var parts []space.Unit
		e.do(identity.ParkManager, "POST", "/api/v1/units/"+w.Units[0][2].ID+"/split", map[string]any{
			"effective_on": "2025-07-01", "parts": []map[string]any{{"code": "S1", "gross_area": 150}, {"code": "S2", "gross_area": 150}}}, 201, &parts)
		if len(parts) != 2 {
			t.Fatalf("split: %+v", parts)
		}
		var area LeasableArea
		e.do(identity.ParkManager, "GET", "/api/v1/parks/"+w.Parks[0].ID+"/leasable-area?on=2025-06-30", nil, 200, &area)
		if area.LeasableArea != 60000 {
			t.Fatalf("leasable area before the split: %+v", area)
		}
		e.do(identity.EntAdmin, "GET", "/api/v1/parks/"+w.Parks[0].ID+"/leasable-area", nil, 404, nil)
		var hist []space.UnitChange
		e.do(identity.ParkManager, "GET", "/api/v1/units/"+parts[0].ID+"/history", nil, 200, &hist)
		if len(hist) != 1 || hist[0].Kind != "split" {
			t.Fatalf("history: %+v", hist)
		}
		var created enterprise.Enterprise
		e.do(identity.Leasing, "POST", "/api/v1/enterprises", map[string]any{"park_id": w.Parks[0].ID, "name": "新签约生物科技",
			"credit_code": storetest.CreditCode(99), "registered_capital": 5000000, "founded_on": "2020-05-01"}, 201, &created)
		if created.RegisteredCapital != 500000000 || created.FoundedOn.String() != "2020-05-01" {
			t.Fatalf("created enterprise: %+v", created)
		}
		e.do(identity.Leasing, "POST", "/api/v1/enterprises", map[string]any{"park_id": w.Parks[0].ID, "name": "重复",
			"credit_code": storetest.CreditCode(99)}, 409, nil)

		// Users and tokens: an API token carries its maker's scope.
		var tok identity.APIToken
		e.do(identity.ParkManager, "POST", "/api/v1/tokens", map[string]any{"name": "script"}, 201, &tok)
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/parks/"+w.Parks[1].ID, nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 404 {
			t.Fatalf("token outside scope: %v %v", res.StatusCode, err)
		}
		res.Body.Close()
		var nu identity.User
		e.do(identity.Admin, "POST", "/api/v1/users", map[string]any{"username": "new.leasing", "role": "leasing",
			"park_ids": []string{w.Parks[1].ID}, "password": "long-enough-1"}, 201, &nu)
		e.do(identity.Admin, "POST", "/api/v1/users", map[string]any{"username": "x", "role": "wizard", "password": "short"}, 422, nil)
		e.do(identity.Admin, "DELETE", "/api/v1/users/"+nu.ID, nil, 204, nil)

		e.do(identity.ParkManager, "DELETE", "/api/v1/session", nil, 204, nil)
		e.do(identity.ParkManager, "GET", "/api/v1/me", nil, 401, nil)
	})
}

// The 11th wrong password in a minute for one account is refused with 429 before the
// password is checked: even the right password is refused then.
func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	for range 10 {
		e.problem("", "POST", "/api/v1/session", map[string]string{"username": "u_leasing", "password": "guess"}, 401)
	}
	res := e.do("", "POST", "/api/v1/session", map[string]string{"username": "u_leasing", "password": e.world.Password}, 429, nil)
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	e.do("", "POST", "/api/v1/session", map[string]string{"username": "u_finance", "password": e.world.Password}, 201, nil)
}

func TestContractsOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		body := func(number, from, to string) map[string]any {
			return map[string]any{"number": number, "enterprise_id": w.Enterprises[0].ID, "start_on": from, "end_on": to,
				"price": 5, "property_fee": 20, "payment_cycle": 3, "deposit_months": 2, "status": "active",
				"rent_free": []map[string]any{{"from": from, "to": "2025-03-31"}},
				"units":     []map[string]any{{"unit_id": w.Units[0][0].ID}}}
		}
		var k leasing.Contract
		e.do(identity.Leasing, "POST", "/api/v1/contracts", body("HT-100", "2025-01-01", "2026-12-31"), 201, &k)
		var sched leasing.Schedule
		e.do(identity.Leasing, "GET", "/api/v1/contracts/"+k.ID+"/schedule", nil, 200, &sched)
		if sched.DayCount != "365/12" || sched.Convention == "" || len(sched.Lines) == 0 || sched.Lines[0].Type != "deposit" {
			t.Fatalf("schedule: %+v", sched)
		}

		overlap := body("HT-101", "2026-06-01", "2027-05-31")
		delete(overlap, "rent_free")
		p := e.problem(identity.Leasing, "POST", "/api/v1/contracts", overlap, 409)
		if !hasField(p, "units[0].unit_id") || !strings.Contains(p.Errors[0].MessageZh, "HT-100") ||
			!strings.Contains(p.Errors[0].MessageZh, w.Units[0][0].Code) {
			t.Fatalf("overlap: %+v", p)
		}
		bad := body("HT-102", "2025-06-01", "2025-01-01")
		bad["price"] = -1
		p = e.problem(identity.Leasing, "POST", "/api/v1/contracts", bad, 422)
		for _, f := range []string{"end_on", "price", "rent_free[0]"} {
			if !hasField(p, f) {
				t.Errorf("field %s not named: %+v", f, p.Errors)
			}
		}
		var list page.Page[leasing.Contract]
		e.do(identity.Leasing, "GET", "/api/v1/contracts", nil, 200, &list)
		if len(list.Items) != 1 {
			t.Fatalf("refused contracts were written: %d", len(list.Items))
		}
		e.do(identity.Leasing, "POST", "/api/v1/contracts/"+k.ID+"/terminate", map[string]any{"terminated_on": "2025-09-30", "penalty": 10000}, 200, &k)
		if k.Status != leasing.Terminated {
			t.Fatalf("terminate: %s", k.Status)
		}
		e.do(identity.EntAdmin, "GET", "/api/v1/contracts/"+k.ID, nil, 200, nil) // the tenant's own lease
		e.do(identity.EntAdmin, "POST", "/api/v1/contracts/"+k.ID+"/activate", nil, 403, nil)
	})
}

func TestOccupancyOverHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		e.do(identity.Leasing, "POST", "/api/v1/contracts", map[string]any{"number": "HT-OCC", "enterprise_id": w.Enterprises[0].ID,
			"start_on": "2025-01-01", "end_on": "2026-12-31", "price": 5, "status": "active",
			"units": []map[string]any{{"unit_id": w.Units[0][0].ID}}}, 201, nil)
		var f leasing.Figures
		e.do(identity.ParkManager, "GET", "/api/v1/occupancy?park_id="+w.Parks[0].ID+"&on=2025-06-30", nil, 200, &f)
		// Units of 100, 200 and 300 m²; the 100 m² one is let.
		if f.LeasableArea != 60000 || f.LeasedArea != 10000 || f.Tenants != 1 || f.OccupancyRate < 0.1666 || f.OccupancyRate > 0.1667 {
			t.Fatalf("occupancy: %+v", f)
		}
		var series []leasing.Point
		e.do(identity.Authority, "GET", "/api/v1/occupancy/series?park_id="+w.Parks[0].ID+"&from=2024-12-01&to=2025-03-31", nil, 200, &series)
		if len(series) != 4 || series[1].Month != "2025-01" || series[1].NetAbsorption != 10000 || series[0].Figures.LeasedArea != 0 {
			t.Fatalf("series: %+v", series)
		}
		e.problem(identity.ParkManager, "GET", "/api/v1/occupancy", nil, 422)
		e.problem(identity.ParkManager, "GET", "/api/v1/occupancy/series?park_id="+w.Parks[0].ID+"&from=2025-05-01&to=2025-01-01", nil, 422)
		e.do(identity.Admin, "GET", "/api/v1/occupancy", nil, 200, &f)
		if f.LeasableArea != 120000 {
			t.Fatalf("all parks: %+v", f)
		}
	})
}

// Hostile text is refused identically on both engines, naming the field, and nothing is
// stored: a NUL byte (stored by SQLite, a 500 on PostgreSQL before), invalid UTF-8, and a
// lead note of 100,000 characters.
func TestHostileTextIsRefusedOnBothEngines(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		park := e.world.Parks[0].ID
		cases := []struct {
			name, body, field, code string
		}{
			{"nul byte", `{"park_id":"` + park + `","company":"坏\u0000公司","source":"referral"}`, "company", "nul_byte"},
			{"invalid utf-8", `{"park_id":"` + park + `","company":"` + "\xff\xfe" + `","source":"referral"}`, "company", "bad_encoding"},
			{"long note", `{"park_id":"` + park + `","company":"长备注","source":"referral","note":"` + strings.Repeat("长", 100000) + `"}`, "note", "too_long"},
			{"long contact", `{"park_id":"` + park + `","company":"长联系人","source":"referral","contact_name":"` + strings.Repeat("名", 201) + `"}`, "contact_name", "too_long"},
			{"bad credit code", `{"park_id":"` + park + `","company":"信用代码","source":"referral","credit_code":"91110108MA00000000"}`, "credit_code", "check_char"},
		}
		for _, c := range cases {
			p := e.problem(identity.Leasing, "POST", "/api/v1/leads", c.body, 422)
			found := false
			for _, f := range p.Errors {
				found = found || (f.Field == c.field && f.Code == c.code)
			}
			if !found {
				t.Errorf("%s: problem %+v does not name %s/%s", c.name, p.Errors, c.field, c.code)
			}
		}
		var leads page.Page[leasing.Lead]
		e.do(identity.Leasing, "GET", "/api/v1/leads", nil, 200, &leads)
		if len(leads.Items) != 0 {
			t.Fatalf("%d refused leads were stored", len(leads.Items))
		}
	})
}

// 60 wrong passwords for one account at once: each attempt is counted before its hash, so at
// most the account limit are checked (401) and the rest are refused at once (429), or turned
// away while every hashing slot is busy (503). Before, all 60 were checked.
func TestParallelWrongPasswordsAreCountedBeforeHashing(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := e.raw("", "POST", "/api/v1/session", `{"username":"u_leasing","password":"wrong-password"}`)
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	// A 503 gives its reserved attempt back (nothing was hashed), so under load 401s and 503s
	// together may pass 10; the 401s alone may not.
	if statuses[401] > 10 || statuses[429] == 0 || statuses[401]+statuses[429]+statuses[503] != 60 {
		t.Fatalf("statuses %v: at most 10 passwords may be checked", statuses)
	}
}

// X-Forwarded-For is believed only from a trusted proxy.
func TestClientAddressBehindTrustedProxies(t *testing.T) {
	g := loginguard.New(nil)
	req := httptest.NewRequest("POST", "/api/v1/session", nil)
	req.RemoteAddr = "10.0.0.5:4242"
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 198.51.100.7")
	if got := g.ClientAddr(req); got != "10.0.0.5" {
		t.Fatalf("untrusted peer: %s", got)
	}
	trusted, err := loginguard.ParseTrustedProxies("10.0.0.0/8, 198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	g.TrustProxies(trusted)
	if got := g.ClientAddr(req); got != "203.0.113.9" {
		t.Fatalf("behind two trusted proxies: %s", got)
	}
	if _, err := loginguard.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad prefix was accepted")
	}
}

// A path the API has, asked with a method it does not take, is 405 with Allow; an unknown path
// stays 404; a workbook download has one content type.
func TestMethodNotAllowedAndDownloadTypes(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	for _, c := range []struct {
		method, path, allow string
		status              int
	}{{"PUT", "/api/v1/parks", "GET, POST", 405}, {"POST", "/api/v1/parks/" + e.world.Parks[0].ID, "GET, PATCH, DELETE", 405},
		{"GET", "/api/v1/no-such-thing", "", 404}} {
		req, _ := http.NewRequest(c.method, e.srv.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[identity.Admin])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status || res.Header.Get("Allow") != c.allow || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d, Allow %q", c.method, c.path, res.StatusCode, res.Header.Get("Allow"))
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/onboarding/export", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[identity.Admin])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Content-Type"); res.StatusCode != 200 || got != xlsxType {
		t.Errorf("onboarding workbook: %d %q", res.StatusCode, got)
	}
}

// Every answer carries its request id, a problem document names it too, and the access log's
// line for the request has it with the user, the route pattern and the status — so an error a
// user reports leads to its log line. An id sent by a client that is not a trusted proxy is not
// believed.
func TestRequestIDInAnswerProblemAndLogLine(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var p httpx.Problem
	res := e.do(identity.Admin, "GET", "/api/v1/parks/no-such-park/billing-settings", nil, 404, &p)
	id := res.Header.Get(httpx.RequestIDHeader)
	if len(id) != 16 || p.RequestID != id {
		t.Fatalf("request id: header %q, problem %q", id, p.RequestID)
	}
	line := ""
	for l := range strings.Lines(e.logs.String()) {
		if strings.Contains(l, "request_id="+id) && strings.Contains(l, "msg=request") {
			line = l
		}
	}
	for _, want := range []string{"level=INFO", "user=u_admin", "method=GET", `route="GET /api/v1/parks/{id}/billing-settings"`, "status=404", "duration_ms="} {
		if !strings.Contains(line, want) {
			t.Fatalf("access log line %q lacks %s", line, want)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/healthz", nil)
	req.Header.Set(httpx.RequestIDHeader, "forged-by-client")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get(httpx.RequestIDHeader); got == "" || got == "forged-by-client" {
		t.Fatalf("an untrusted client's id was taken: %q", got)
	}
}
