package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
)

// msgKey marks a catalog key written in Go code; the catalog test finds every call of k.
type msgKey string

func k(key string) msgKey { return msgKey(key) }

// view is what every page template receives.
type view struct {
	Lang    string
	User    identity.User
	Nav     []navItem
	Active  string
	Title   string
	Search  string
	HTMX    string // URL of htmx, "" when not built in
	Charts  string // URL of ECharts on pages that draw charts
	CSS     string
	JS      string
	Flash   string
	Partial bool // an htmx request for the page's main content only
	Unread  int  // the signed-in user's unread notifications (the bell)
	Data    any
}

type navItem struct {
	Key  msgKey
	Href string
	Name string // stable id for tests and the active marker
}

func funcs(a *assets) template.FuncMap {
	return template.FuncMap{
		"t": func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
		"tk": func(lang string, key msgKey, args ...any) string {
			return i18n.T(lang, string(key), args...)
		},
		"area": i18n.Area,
		"areaOrDash": func(lang string, a measure.Area) string {
			if a == 0 {
				return "—"
			}
			return i18n.Area(lang, a)
		},
		"money": i18n.Money,
		// yuan is an amount to the fen, as bills and notices print it (never rounded to 万元).
		"yuan": func(m measure.Money) string {
			sign, v := "", int64(m)
			if v < 0 {
				sign, v = "-", -v
			}
			return fmt.Sprintf("%s%s.%02d元", sign, i18n.Int(v/100), v%100)
		},
		"stamp": func(v any) string {
			switch t := v.(type) {
			case time.Time:
				return stamp(t)
			case *time.Time:
				if t != nil {
					return stamp(*t)
				}
			}
			return "—"
		},
		"int":   func(n int) string { return i18n.Int(int64(n)) },
		"price": func(lang string, p measure.Price, unit string) string { return i18n.Price(lang, p, unit) },
		"date":  func(lang string, d civil.Date) string { return i18n.Date(lang, d) },
		"enum":  func(lang, prefix string, v any) string { return enumLabel(lang, prefix, fmt.Sprint(v)) },
		"asset": a.URL,
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"pct":   func(r float64) float64 { return r * 100 },
		"deref": func(p *float64) float64 { return *p },
		"dict":  dict,
		"list":  func(xs ...string) []string { return xs },
		"statusBadges": func(lang string, st leasing.Status) []badge {
			return statusBadge(&request{lang: lang}, st)
		},
	}
}

// enumLabel translates a stored value such as unit kind "lab" via key "unit_kind.lab"; the
// empty value shows as a dash.
func enumLabel(lang, prefix, v string) string {
	if v == "" {
		return "—"
	}
	return i18n.T(lang, prefix+"."+v)
}

// parsePages parses layout.html with each page template into its own set.
func parsePages(a *assets) (map[string]*template.Template, error) {
	names, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "part-") {
			continue
		}
		partials, _ := fs.Glob(embedded, "templates/part-*.html")
		files := append([]string{"templates/layout.html", n}, partials...)
		t, err := template.New("layout.html").Funcs(funcs(a)).ParseFS(embedded, files...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// render writes a page. An htmx request gets only the "main" block.
func (s *Server) render(rq *request, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(rq.w, "template missing", http.StatusInternalServerError)
		return
	}
	v := view{Lang: rq.lang, User: rq.user, Title: title, Data: data, HTMX: s.assets.URL(htmxAsset),
		CSS: s.assets.URL("app.css"), JS: s.assets.URL("app.js"), Partial: rq.r.Header.Get("HX-Request") == "true"}
	if rq.charts {
		v.Charts = s.assets.URL(echartsAsset)
	}
	if rq.user.ID != "" {
		v.Nav = navFor(rq)
		v.Active = activeEntry(v.Nav, rq.r.URL.Path)
		v.Search = rq.r.URL.Query().Get("q")
		if n, err := s.svc.Notices.Unread(rq.ctx, rq.scope); err == nil {
			v.Unread = n
		}
	}
	block := "layout.html"
	if v.Partial && rq.r.Header.Get("HX-Target") == "main" {
		block = "main"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(rq.w, "render failed", http.StatusInternalServerError)
		return
	}
	rq.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rq.w.Header().Set("Content-Language", rq.lang)
	rq.w.Header().Set("Vary", "HX-Request, HX-Target")
	_, _ = rq.w.Write(buf.Bytes())
}

// navFor builds the sidebar for the user's role (§1).
func navFor(rq *request) []navItem {
	r := rq.user.Role
	var nav []navItem
	add := func(name, key, href string) { nav = append(nav, navItem{Name: name, Key: msgKey(key), Href: href}) }
	switch {
	case r.IsEnterprise():
		add("my_enterprise", "nav.my_enterprise", "/enterprises/"+rq.user.EnterpriseID)
		add("units", "nav.my_units", "/units")
		add("contracts", "nav.my_contracts", "/contracts")
		add("reports", "nav.reports", "/reports")
		add("facilities", "nav.facilities", "/facilities")
		add("bookings", "nav.bookings", "/bookings")
		add("services", "nav.services", "/services")
		add("requests", "nav.requests", "/services/requests")
		add("my_billing", "nav.my_billing", "/billing/mine")
		add("policies", "nav.policies", "/policies")
		add("events", "nav.events", "/events")
		if r == identity.EntAdmin {
			add("users", "nav.colleagues", "/users")
			add("audit", "nav.audit", "/audit")
		}
	default:
		add("home", "nav.home", "/")
		add("parks", "nav.parks", "/parks")
		if r != identity.Authority {
			add("buildings", "nav.buildings", "/buildings")
		}
		add("units", "nav.units", "/units")
		add("enterprises", "nav.enterprises", "/enterprises")
		add("contracts", "nav.contracts", "/contracts")
		if r != identity.Authority {
			add("leads", "nav.leads", "/leads")
		}
		add("qualifications", "nav.qualifications", "/qualifications")
		add("periods", "nav.periods", "/periods")
		add("indicators", "nav.indicators", "/indicators")
		if r != identity.Authority && r != identity.Finance {
			add("facilities", "nav.facilities", "/facilities")
			add("bookings", "nav.bookings", "/bookings")
			add("services", "nav.services", "/services")
		}
		add("requests", "nav.requests", "/services/requests")
		if identity.Allows(r, identity.Bill) {
			add("billing", "nav.billing", "/billing")
			add("bills", "nav.bills", "/billing/bills")
			add("payments", "nav.payments", "/billing/payments")
			add("bank", "nav.bank", "/billing/bank")
			add("billing_settings", "nav.billing_settings", "/billing/settings")
		}
		if identity.Allows(r, identity.Bill) || r == identity.Authority {
			add("aging", "nav.aging", "/billing/aging")
		}
		if r == identity.Admin || r == identity.Authority || r == identity.ParkManager || r == identity.Service {
			add("service_reports", "nav.service_reports", "/services/reports")
		}
		add("policies", "nav.policies", "/policies")
		add("events", "nav.events", "/events")
		if r == identity.Admin || r == identity.Authority || r == identity.ParkManager {
			add("pool", "nav.pool", "/pool")
			add("goals", "nav.goals", "/goals")
		}
		if r == identity.Admin || r == identity.Authority {
			add("cockpit", "nav.cockpit", "/cockpit")
			add("evaluation", "nav.evaluation", "/evaluation")
		}
		add("onboarding", "nav.onboarding", "/onboarding")
		if r == identity.Admin || r == identity.ParkManager {
			add("users", "nav.users", "/users")
		}
		if r == identity.Admin || r == identity.Authority || r == identity.ParkManager {
			add("audit", "nav.audit", "/audit")
		}
		add("reference", "nav.reference", "/reference")
	}
	return nav
}

// activeEntry is the navigation entry for a path: the one whose address is the path or its
// longest prefix; floors, zones and residencies count under their parent section.
func activeEntry(nav []navItem, path string) string {
	switch strings.Split(strings.Trim(path, "/"), "/")[0] {
	case "floors":
		path = "/buildings"
	case "zones":
		path = "/parks"
	case "residencies":
		path = "/enterprises"
	case "reports":
		if !slices.ContainsFunc(nav, func(n navItem) bool { return n.Href == "/reports" }) {
			path = "/periods"
		}
	}
	best, bestLen := "", -1
	for _, n := range nav {
		match := path == n.Href || (n.Href != "/" && strings.HasPrefix(path, n.Href+"/"))
		if match && len(n.Href) > bestLen {
			best, bestLen = n.Name, len(n.Href)
		}
	}
	return best
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}
