package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/api"
	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

type site struct {
	t     *testing.T
	srv   *httptest.Server
	store *sqlstore.Store
	world *storetest.World
}

func newSite(t *testing.T) *site {
	st := storetest.OpenSQLite(t)
	w := storetest.NewWorld(t, st)
	svc, log, guard := app.New(st, civil.SystemClock{}), slog.New(slog.NewTextHandler(io.Discard, nil)), loginguard.New(st)
	s, err := New(svc, log, guard, api.New(svc, log, guard))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, store: st, world: w}
}

// browser is a client with a cookie jar that does not follow redirects, like a user agent
// whose every hop the test checks.
func (s *site) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *site) send(c *http.Client, method, path string, form url.Values, headers ...string) (*http.Response, string) {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, s.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return s.do(c, req)
}

// do sends a request and reads the whole answer.
func (s *site) do(c *http.Client, req *http.Request) (*http.Response, string) {
	s.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (s *site) login(role identity.Role) *http.Client {
	s.t.Helper()
	c := s.browser()
	res, body := s.send(c, "POST", "/login", url.Values{"username": {"u_" + string(role)}, "password": {s.world.Password}})
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login as %s: %d %s", role, res.StatusCode, body)
	}
	return c
}

var unknownKey = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)

func TestAnonymousIsSentToLogin(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/", "/parks", "/units/x", "/audit", "/account"} {
		res, _ := s.send(s.browser(), "GET", path, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("GET %s anonymously: %d → %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	res, body := s.send(s.browser(), "GET", "/login", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `lang="zh-CN"`) || !strings.Contains(body, "登录") {
		t.Fatalf("login page: %d", res.StatusCode)
	}
}

func TestSessionCookieFlagsAndRotation(t *testing.T) {
	s := newSite(t)
	c := s.browser()
	form := url.Values{"username": {"u_park_manager"}, "password": {s.world.Password}, "next": {"/parks"}}
	res, _ := s.send(c, "POST", "/login", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/parks" {
		t.Fatalf("login: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	raw := res.Header.Get("Set-Cookie")
	for _, want := range []string{"parkos_session=", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="} {
		if !strings.Contains(raw, want) {
			t.Errorf("session cookie %q lacks %s", raw, want)
		}
	}
	if strings.Contains(raw, "Secure") {
		t.Errorf("Secure set on plain HTTP: %s", raw)
	}
	first := res.Cookies()[0].Value
	// Signing in again, even from the same browser, replaces the session; the old id dies.
	res, _ = s.send(c, "POST", "/login", form, "X-Forwarded-Proto", "https")
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("no Secure flag behind TLS: %s", res.Header.Get("Set-Cookie"))
	}
	if res.Cookies()[0].Value == first {
		t.Fatal("session id not rotated at sign-in")
	}
	stale := s.browser()
	u, _ := url.Parse(s.srv.URL)
	stale.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: first}})
	if res, _ := s.send(stale, "GET", "/parks", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session still valid: %d", res.StatusCode)
	}
	// Signing out ends the session on the server.
	res, _ = s.send(c, "POST", "/logout", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ := s.send(c, "GET", "/parks", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("still signed in after logout: %d", res.StatusCode)
	}
}

func TestCrossSiteWritesAreRefused(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.ParkManager)
	form := url.Values{"park_id": {s.world.Parks[0].ID}, "code": {"EVIL"}, "name": {"恶意楼宇"}}
	res, _ := s.send(c, "POST", "/buildings/new", form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	res, body := s.send(c, "POST", "/api/v1/parks", url.Values{}, "Origin", "https://evil.example")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "跨站") {
		t.Fatalf("cross-site API POST: %d %s", res.StatusCode, body)
	}
	bs, _ := s.store.ListBuildings(context.Background(), identity.System(), space.BuildingFilter{Q: "EVIL"}, page.Request{})
	if len(bs.Items) != 0 {
		t.Fatal("a cross-site POST created a building")
	}
	// The same form from our own origin goes through.
	res, body = s.send(c, "POST", "/buildings/new", form, "Origin", s.srv.URL, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin POST: %d %s", res.StatusCode, body)
	}
}

func TestLoginFormRateLimit(t *testing.T) {
	s := newSite(t)
	c := s.browser()
	for i := range 10 {
		res, body := s.send(c, "POST", "/login", url.Values{"username": {"u_service"}, "password": {"guess"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	res, body := s.send(c, "POST", "/login", url.Values{"username": {"u_service"}, "password": {s.world.Password}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("11th attempt with the right password: %d", res.StatusCode)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	res, _ := s.send(s.browser(), "GET", "/login", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", res.Header)
	}
}

// A bad unit form answers in Chinese next to the fields and writes nothing.
func TestUnitFormValidation(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.ParkManager)
	floor := s.world.Floors[0].ID
	form := url.Values{"floor_id": {floor}, "code": {"坏 编码"}, "kind": {"lab"}, "gross_area": {"abc"}, "usable_area": {"12.345"}}
	res, body := s.send(c, "POST", "/units/new?floor_id="+floor, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad unit form: %d", res.StatusCode)
	}
	for _, want := range []string{`id="e-gross_area"`, "应为数字", `id="e-usable_area"`, "小数位数过多", `aria-invalid="true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form answer lacks %q", want)
		}
	}
	units, _ := s.store.ListUnits(context.Background(), identity.System(), space.UnitFilter{FloorID: floor}, page.Request{})
	if len(units.Items) != 3 {
		t.Fatalf("a refused form wrote a unit: %d units", len(units.Items))
	}
	form.Set("gross_area", "66.5")
	form.Set("usable_area", "50")
	res, body = s.send(c, "POST", "/units/new?floor_id="+floor, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-code"`) {
		t.Fatalf("bad code: %d", res.StatusCode)
	}
	form.Set("code", "A-3-399")
	res, _ = s.send(c, "POST", "/units/new?floor_id="+floor, form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/units/") {
		t.Fatalf("good unit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// Every page of every role's navigation renders, in both languages, with no missing string.
func TestEveryRolesPagesRender(t *testing.T) {
	s := newSite(t)
	navLink := regexp.MustCompile(`data-nav="[a-z_]+"[^>]*href="([^"]+)"|href="([^"]+)" data-nav=`)
	for _, role := range identity.Roles {
		c := s.login(role)
		for _, lang := range []string{"en", "zh-CN"} {
			res, _ := s.send(c, "POST", "/lang", url.Values{"lang": {lang}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("switch language: %d", res.StatusCode)
			}
			res, home := s.send(c, "GET", "/", nil)
			if res.StatusCode == http.StatusSeeOther { // tenants land on their enterprise
				res, home = s.send(c, "GET", res.Header.Get("Location"), nil)
			}
			if res.StatusCode != 200 || !strings.Contains(home, `lang="`+lang+`"`) {
				t.Fatalf("%s home in %s: %d", role, lang, res.StatusCode)
			}
			pages := []string{"/account", "/account/tokens", "/search?q=A-3", "/reference"}
			for _, m := range navLink.FindAllStringSubmatch(home, -1) {
				pages = append(pages, m[1]+m[2])
			}
			for _, p := range pages {
				res, body := s.send(c, "GET", p, nil)
				if res.StatusCode != 200 {
					t.Errorf("%s %s (%s): %d", role, p, lang, res.StatusCode)
				}
				if k := unknownKey.FindString(body); k != "" {
					t.Errorf("%s %s (%s): missing catalog key %s", role, p, lang, k)
				}
			}
		}
	}
}

func TestExports(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.ParkManager)
	res, body := s.send(c, "GET", "/units.csv?kind=office", nil)
	if res.StatusCode != 200 || !strings.HasPrefix(body, "\xEF\xBB\xBF单元编码") || strings.Count(body, "\n") != 4 {
		t.Fatalf("csv: %d %q", res.StatusCode, body)
	}
	if strings.Contains(body, s.world.Units[1][0].Code+","+"测试园区1") {
		t.Fatal("export leaks another park's unit")
	}
	res, body = s.send(c, "GET", "/enterprises.xlsx", nil)
	if res.StatusCode != 200 {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	if _, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body))); err != nil {
		t.Fatalf("xlsx is not a workbook: %v", err)
	}
}

func TestContractPages(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.Leasing)
	w := s.world
	form := url.Values{"park_id": {w.Parks[0].ID}, "number": {"HT-WEB-1"}, "enterprise_id": {w.Enterprises[0].ID},
		"unit_ids": {w.Units[0][1].ID}, "start_on": {"2025-01-01"}, "end_on": {"2026-12-31"}, "price": {"5"},
		"property_fee": {"20"}, "payment_cycle": {"3"}, "deposit_months": {"2"}, "day_count": {"365/12"},
		"rent_free_from": {"2025-01-01"}, "rent_free_to": {"2025-03-31"}, "sign": {"true"}}
	bad := cloneValues(form)
	bad.Set("end_on", "2024-01-01")
	bad.Set("price", "-5")
	res, body := s.send(c, "POST", "/contracts/new", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-end_on"`) || !strings.Contains(body, `id="e-price"`) {
		t.Fatalf("bad contract form: %d", res.StatusCode)
	}
	tooLong := cloneValues(form)
	tooLong.Set("end_on", "2045-01-01")
	res, body = s.send(c, "POST", "/contracts/new", tooLong)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-end_on"`) || !strings.Contains(body, "租赁期限不得超过 20 年") {
		t.Fatalf("a 20-year-and-a-day lease: %d", res.StatusCode)
	}
	res, _ = s.send(c, "POST", "/contracts/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract form: %d", res.StatusCode)
	}
	page := res.Header.Get("Location")
	res, body = s.send(c, "GET", page, nil)
	for _, want := range []string{"HT-WEB-1", "生效中", `id="schedule"`, "365/12", "91250.00", "免租（不计收）"} {
		if !strings.Contains(body, want) {
			t.Errorf("contract page lacks %q", want)
		}
	}
	form.Set("number", "HT-WEB-2")
	res, body = s.send(c, "POST", "/contracts/new", form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "HT-WEB-1") {
		t.Fatalf("overlapping contract: %d", res.StatusCode)
	}
	added := w.Units[0][2]
	if !strings.Contains(body, `<option value="`+added.ID+`">`) {
		t.Fatalf("amendment form does not offer unit %s", added.Code)
	}
	res, body = s.send(c, "POST", page+"/amend", url.Values{"effective_on": {"2025-07-01"}, "add": {"no-such-unit"}})
	if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(body, `id="action-error"`) {
		t.Fatalf("amendment with unknown unit: %d", res.StatusCode)
	}
	res, _ = s.send(c, "POST", page+"/amend", url.Values{"effective_on": {"2025-07-01"}, "add": {added.ID}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("amendment: %d", res.StatusCode)
	}
	if _, body = s.send(c, "GET", page, nil); !strings.Contains(body, `<a href="/units/`+added.ID+`">`+added.Code+`</a></td><td class="num">`) {
		t.Fatalf("amended contract does not list unit %s", added.Code)
	}
	res, body = s.send(c, "POST", page+"/terminate", url.Values{"terminated_on": {"2027-06-30"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="action-error"`) {
		t.Fatalf("bad termination: %d", res.StatusCode)
	}
	res, _ = s.send(c, "POST", page+"/terminate", url.Values{"terminated_on": {"2025-09-30"}, "penalty": {"10000"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("termination: %d", res.StatusCode)
	}
	res, body = s.send(c, "GET", page+"/schedule/csv", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "违约金") || !strings.Contains(body, "365/12") {
		t.Fatalf("schedule export: %d %s", res.StatusCode, body)
	}
}

func TestDashboardStackPlanAndExports(t *testing.T) {
	s := newSite(t)
	c := s.login(identity.ParkManager)
	w := s.world
	p0, p1 := "/parks/"+w.Parks[0].ID, "/parks/"+w.Parks[1].ID
	res, body := s.send(c, "POST", "/contracts/new", url.Values{"park_id": {w.Parks[0].ID}, "number": {"HT-DASH"},
		"enterprise_id": {w.Enterprises[0].ID}, "unit_ids": {w.Units[0][2].ID}, "start_on": {"2025-01-01"}, "end_on": {"2030-12-31"},
		"price": {"5"}, "payment_cycle": {"1"}, "day_count": {"365/12"}, "sign": {"true"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract: %d %s", res.StatusCode, body)
	}
	res, body = s.send(c, "GET", p0+"/dashboard", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `id="kpi-occupancy">50.0%`) || !strings.Contains(body, `id="dashboard-data"`) {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	if res, _ = s.send(c, "GET", p0+"/dashboard?kind=lab", nil); res.StatusCode != 200 {
		t.Fatalf("filtered dashboard: %d", res.StatusCode)
	}
	for _, table := range []string{"series", "vacancy", "expiries"} {
		if res, body = s.send(c, "GET", p0+"/dashboard/"+table+"/csv", nil); res.StatusCode != 200 || !strings.HasPrefix(body, "\xEF\xBB\xBF") {
			t.Fatalf("export %s: %d", table, res.StatusCode)
		}
	}
	res, body = s.send(c, "POST", p0+"/targets", url.Values{"metric": {"occupancy"}, "percent": {"六十"}, "by_date": {"2030-01-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="action-error"`) {
		t.Fatalf("bad target: %d", res.StatusCode)
	}
	if res, _ = s.send(c, "POST", p0+"/targets", url.Values{"metric": {"occupancy"}, "percent": {"60"}, "by_date": {"2030-01-01"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("target: %d", res.StatusCode)
	}
	if _, body = s.send(c, "GET", p0+"/dashboard", nil); !strings.Contains(body, "按计划") && !strings.Contains(body, "落后") {
		t.Fatal("target without status")
	}
	res, body = s.send(c, "GET", p0+"/stack", nil)
	if res.StatusCode != 200 || strings.Count(body, "<rect") != 3 || !strings.Contains(body, `class="st-leased"`) {
		t.Fatalf("stack plan: %d, %d boxes", res.StatusCode, strings.Count(body, "<rect"))
	}
	// The stack plan's boxes open the unit on the plan's day: status, tenant, contract, until.
	unit := "/units/" + w.Units[0][2].ID
	if !strings.Contains(body, unit+"?on=") {
		t.Fatal("stack plan boxes do not link the unit on the plan's day")
	}
	res, body = s.send(c, "GET", unit+"?on=2026-03-01", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `id="letting"`) || !strings.Contains(body, "在租") ||
		!strings.Contains(body, w.Enterprises[0].Name) || !strings.Contains(body, "2030年12月31日") || !strings.Contains(body, `href="/contracts/`) {
		t.Fatalf("unit on a day: %d", res.StatusCode)
	}
	if _, body = s.send(c, "GET", unit+"?on=2024-06-01", nil); !strings.Contains(body, "可租") {
		t.Fatal("the unit before its lease is not vacant")
	}
	if res, _ = s.send(c, "GET", unit+"?on=tomorrow", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad day: %d", res.StatusCode)
	}
	if res, _ = s.send(c, "GET", p0+"/rent-roll/xlsx", nil); res.StatusCode != 200 {
		t.Fatalf("rent roll: %d", res.StatusCode)
	}
	for _, path := range []string{p1 + "/dashboard", p1 + "/stack", p1 + "/rent-roll/csv", p1 + "/dashboard/series/csv"} {
		if res, _ = s.send(c, "GET", path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another park's %s: %d", path, res.StatusCode)
		}
	}
}
