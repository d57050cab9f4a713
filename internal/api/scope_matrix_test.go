package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
)

// foreign is what the fixture's park 1 and enterprise 1 own: the objects that no operator of
// park 0 and no staff of enterprise 0 may read or change.
type foreign struct {
	ids    map[string]string // first path segment after /api/v1/ → an id of that kind
	all    []string          // every foreign id, to look for in list answers
	bodies map[string]any    // "METHOD /path" of creating routes → a body that targets park 1 / enterprise 1
}

func newForeign(t *testing.T, e *env) foreign {
	ctx, sys := context.Background(), identity.System()
	w := e.world
	zone, err := storetest.SpaceOf(e.store).CreateZone(ctx, sys, space.Zone{ParkID: w.Parks[1].ID, Code: "Z1", NameZh: "功能区"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.store.ListResidencies(ctx, sys, enterprise.ResidencyFilter{EnterpriseID: w.Enterprises[1].ID}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	quals, err := e.store.ListQualifications(ctx, sys, enterprise.QualificationFilter{EnterpriseID: w.Enterprises[1].ID}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	otherOp, err := storetest.AccountsOf(e.store).CreateUser(ctx, sys, identity.UserInput{Username: "other_park_staff", Role: identity.Leasing,
		ParkIDs: []string{w.Parks[1].ID}, Password: "long-enough-1"})
	if err != nil {
		t.Fatal(err)
	}
	otherEnt, err := storetest.AccountsOf(e.store).CreateUser(ctx, sys, identity.UserInput{Username: "other_ent_staff", Role: identity.EntMember,
		EnterpriseID: w.Enterprises[1].ID, Password: "long-enough-1"})
	if err != nil {
		t.Fatal(err)
	}
	contract, err := storetest.ContractsOf(e.store).Create(ctx, sys, leasing.Contract{Number: "HT-THEIRS", EnterpriseID: w.Enterprises[1].ID,
		StartOn: civil.Of(2025, 1, 1), EndOn: civil.Of(2026, 12, 31), Price: 50000, Status: leasing.Active,
		Units: []leasing.ContractUnit{{UnitID: w.Units[1][2].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	lead, err := storetest.ContractsOf(e.store).CreateLead(ctx, sys, leasing.Lead{ParkID: w.Parks[1].ID, Company: "他们的线索"})
	if err != nil {
		t.Fatal(err)
	}
	hold, err := storetest.ContractsOf(e.store).CreateHold(ctx, sys, leasing.Hold{LeadID: lead.ID, UnitID: w.Units[1][0].ID, Until: civil.SystemClock{}.Today().AddDays(30)})
	if err != nil {
		t.Fatal(err)
	}
	target, err := storetest.ContractsOf(e.store).CreateTarget(ctx, sys, leasing.Target{ParkID: w.Parks[1].ID, Metric: "occupancy", BasisPoints: 6000,
		ByDate: civil.Of(2026, 6, 30)})
	if err != nil {
		t.Fatal(err)
	}
	period, err := storetest.StatsOf(e.store).OpenPeriod(ctx, sys, stats.Period{ParkID: w.Parks[1].ID, Kind: stats.Quarterly, Year: 2025, Seq: 1,
		Deadline: civil.Of(2025, 4, 20)})
	if err != nil {
		t.Fatal(err)
	}
	reports, err := e.store.ListReports(ctx, sys, stats.ReportFilter{PeriodID: period.ID}, page.Request{})
	if err != nil || len(reports.Items) != 1 {
		t.Fatalf("the foreign period's reports: %v", err)
	}
	tok, err := storetest.AccountsOf(e.store).CreateToken(ctx, identity.ScopeOf(otherOp), "theirs", w.Parks[0].CreatedAt.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	f := foreign{ids: map[string]string{
		"parks": w.Parks[1].ID, "zones": zone.ID, "buildings": w.Buildings[1].ID, "floors": w.Floors[1].ID,
		"units": w.Units[1][1].ID, "enterprises": w.Enterprises[1].ID, "residencies": res.Items[0].ID,
		"qualifications": quals.Items[0].ID, "users": otherOp.ID, "tokens": tok.ID, "contracts": contract.ID,
		"leads": lead.ID, "holds": hold.ID, "targets": target.ID, "periods": period.ID, "reports": reports.Items[0].ID,
	}}
	f.ids["pool"] = pooledPark(t, e, w.Parks[1].ID)
	f.ids["goals"] = parkGoal(t, e, w.Parks[1].ID)
	f.ids["evaluation-schemes"], f.ids["evaluation-runs"] = evaluated(t, e)
	f.ids["resources"], f.ids["bookings"] = facility(t, e, 1, otherEnt.Username, 10)
	cert, err := booking.NewService(e.store, civil.SystemClock{}, nil).IssueCertificate(ctx, sys, booking.NewCertificate{ParkID: w.Parks[1].ID,
		Username: otherEnt.Username, Kind: "p2", IssuedOn: civil.Of(2025, 1, 1), ExpiresOn: civil.Of(2030, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := booking.NewService(e.store, civil.SystemClock{}, nil).CreateFeed(ctx, identity.ScopeOf(otherEnt), booking.NewFeed{})
	if err != nil {
		t.Fatal(err)
	}
	f.ids["calendar-feeds"] = feed.ID
	f.ids["notifications"] = noticeFor(t, e, identity.ScopeOf(otherEnt))
	var provider string
	f.ids["service-requests"], f.ids["service-attachments"], provider = serviceTicket(t, e, 1, otherEnt.Username)
	var billedContract string
	f.ids["bills"], f.ids["payments"], billedContract = billed(t, e, 1)
	f.ids["policies"], f.ids["policy-applications"], f.ids["policy-documents"] = policyApplication(t, e, 1)
	var theirHall string
	f.ids["events"], f.ids["event-registrations"], theirHall = registered(t, e, 1)
	f.all = append(f.all, billedContract)
	f.all = []string{otherEnt.ID, w.Units[1][0].ID, w.Units[1][2].ID, cert.ID}
	for _, id := range f.ids {
		f.all = append(f.all, id)
	}
	f.bodies = map[string]any{
		"POST /api/v1/parks":          map[string]any{"code": "HIJACK", "name_zh": "越权园区"},
		"POST /api/v1/zones":          map[string]any{"park_id": w.Parks[1].ID, "code": "HZ", "name_zh": "越权"},
		"POST /api/v1/buildings":      map[string]any{"park_id": w.Parks[1].ID, "code": "HB", "name": "越权"},
		"POST /api/v1/floors":         map[string]any{"building_id": w.Buildings[1].ID, "level": 9},
		"POST /api/v1/units":          map[string]any{"floor_id": w.Floors[1].ID, "code": "HU", "kind": "lab", "gross_area": 10},
		"POST /api/v1/units/merge":    map[string]any{"unit_ids": []string{w.Units[1][0].ID, w.Units[1][1].ID}, "effective_on": "2030-01-01", "code": "HM"},
		"POST /api/v1/enterprises":    map[string]any{"park_id": w.Parks[1].ID, "name": "越权企业"},
		"POST /api/v1/residencies":    map[string]any{"enterprise_id": w.Enterprises[1].ID, "park_id": w.Parks[1].ID, "move_in": "2030-01-01"},
		"POST /api/v1/qualifications": map[string]any{"enterprise_id": w.Enterprises[1].ID, "kind": "gazelle"},
		"POST /api/v1/contracts": map[string]any{"number": "HIJACK", "enterprise_id": w.Enterprises[1].ID, "start_on": "2030-01-01",
			"end_on": "2030-12-31", "price": 5, "units": []map[string]any{{"unit_id": w.Units[1][0].ID}}},
		"POST /api/v1/indicators":               map[string]any{"code": "hijack", "name_zh": "越权", "name_en": "x", "unit": "个", "formula": "revenue", "basis": "count"},
		"POST /api/v1/evaluation-schemes":       map[string]any{"name": "越权方案", "definition": map[string]any{}},
		"POST /api/v1/goals":                    map[string]any{"name": "越权目标", "indicator": "revenue", "group": "parks:" + w.Parks[1].ID, "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2},
		"POST /api/v1/pool":                     map[string]any{"park_id": w.Parks[1].ID, "entered_on": "2024-01-01", "tier": "key", "reason": "越权"},
		"POST /api/v1/targets":                  map[string]any{"park_id": w.Parks[1].ID, "metric": "occupancy", "basis_points": 5000, "by_date": "2030-01-01"},
		"POST /api/v1/leads":                    map[string]any{"park_id": w.Parks[1].ID, "company": "越权线索"},
		"POST /api/v1/periods":                  map[string]any{"park_id": w.Parks[1].ID, "kind": "quarterly", "year": 2030, "seq": 1, "deadline": "2030-04-20"},
		"POST /api/v1/holds":                    map[string]any{"lead_id": lead.ID, "unit_id": w.Units[1][1].ID, "until": civil.SystemClock{}.Today().AddDays(10).String()},
		"POST /api/v1/onboarding/imports":       "园区编码,楼宇编码,楼宇名称\n" + w.Parks[1].Code + ",HB,越权\n",
		"POST /api/v1/pool/imports":             "园区编码,入库日期,梯队,理由\n" + w.Parks[1].Code + ",2024-03-01,重点打造,越权\n",
		"POST /api/v1/park-submissions/imports": "园区编码,年度,营业收入\n" + w.Parks[1].Code + ",2025,1.00\n",
		"POST /api/v1/users": map[string]any{"username": "hijack", "role": "ent_member", "enterprise_id": w.Enterprises[1].ID,
			"password": "long-enough-1"},
		"POST /api/v1/resources":         resourceBody(w.Parks[1].ID, "HIJACK"),
		"POST /api/v1/service-providers": map[string]any{"park_id": w.Parks[1].ID, "name": "越权", "kind": "third_party"},
		"POST /api/v1/billing-runs":      map[string]any{"park_id": w.Parks[1].ID, "billing_date": "2025-03-10"},
		"POST /api/v1/payments": map[string]any{"park_id": w.Parks[1].ID, "enterprise_id": w.Enterprises[1].ID, "paid_on": "2025-03-01",
			"amount": "1.00", "method": "bank"},
		"POST /api/v1/service-offerings": map[string]any{"provider_id": provider, "platform": "legal", "name": "越权", "price": 1, "price_unit": "item"},
		"POST /api/v1/service-categories": map[string]any{"park_id": w.Parks[1].ID, "code": "hijack", "name_zh": "越权", "name_en": "x",
			"platform": "legal", "response_hours": 1, "resolution_hours": 2},
		"POST /api/v1/service-requests":      map[string]any{"category_id": "svc-repair", "unit_id": w.Units[1][0].ID, "title": "越权", "body": "越权"},
		"POST /api/v1/service-demands":       map[string]any{"park_id": w.Parks[1].ID, "category_id": "dem-policy", "title": "越权", "body": "越权"},
		"POST /api/v1/calendar-feeds":        map[string]any{"resource_id": f.ids["resources"]},
		"POST /api/v1/bookings":              map[string]any{"resource_id": f.ids["resources"], "start": tomorrowAt(14), "end": tomorrowAt(15)},
		"POST /api/v1/policies":              map[string]any{"owner_park_id": w.Parks[1].ID, "title": "越权", "issuer": "越权"},
		"POST /api/v1/events":                eventBody(w.Parks[1].ID, theirHall),
		"POST /api/v1/policy-applications":   map[string]any{"policy_id": f.ids["policies"]},
		"POST /api/v1/policy-rules/describe": map[string]any{"eligibility": map[string]any{"fact": "park", "op": "in", "value": []string{w.Parks[1].ID}}},
		"POST /api/v1/certificates": map[string]any{"park_id": w.Parks[1].ID, "username": otherEnt.Username, "kind": "p2",
			"issued_on": "2025-01-01", "expires_on": "2030-01-01"},
	}
	return f
}

// Routes that carry no park- or enterprise-owned data of others, with the reason.
var unscopedRoutes = map[string]string{
	"GET /healthz":                            "process liveness",
	"GET /readyz":                             "database liveness",
	"GET /api/v1/openapi.json":                "the API description",
	"POST /api/v1/session":                    "sign-in obtains a scope",
	"DELETE /api/v1/session":                  "ends the caller's own session",
	"GET /api/v1/me":                          "the caller",
	"POST /api/v1/me/password":                "the caller's own password",
	"GET /api/v1/tokens":                      "the caller's own tokens",
	"POST /api/v1/tokens":                     "creates a token for the caller",
	"GET /api/v1/industry-classes":            "shared reference data",
	"GET /api/v1/chains":                      "shared reference data (park chains are filtered by park)",
	"GET /api/v1/indicators":                  "the indicator catalog: definitions, no figures",
	"GET /api/v1/evaluation-templates":        "scheme templates shipped with ParkOS: definitions, no figures",
	"GET /api/v1/indicators/{id}":             "one indicator's definition, no figures",
	"PUT /api/v1/me/notification-preferences": "the caller's own channel choices",
	"GET /api/v1/me/notification-preferences": "the caller's own channel choices",
	"GET /api/v1/notifications":               "the caller's own notifications",
	"GET /calendar/{id}":                      "a calendar feed: the secret address is the credential, read in its maker's scope",
}

// parkQueried are routes that compute over a park named in the query: asked about another
// park, they must answer 404.
var parkQueried = map[string]bool{"GET /api/v1/occupancy": true, "GET /api/v1/occupancy/series": true, "GET /api/v1/targets": true,
	"GET /api/v1/occupancy/expiries": true, "GET /api/v1/occupancy/forecast": true,
	"GET /api/v1/onboarding/export": true}

// publicToTenants: §1 lets enterprise staff read public park information.
var publicToTenants = map[string]bool{"parks": true, "zones": true, "buildings": true}

func segment(pattern string) string {
	_, path, _ := strings.Cut(pattern, " ")
	rest := strings.TrimPrefix(path, "/api/v1/")
	seg, _, _ := strings.Cut(rest, "/")
	return seg
}

// TestScopeIsolationMatrix: for every route and every role, an object of another park or
// enterprise is never returned or changed. Built from the route table, so a new route fails
// here until it is classified.
func TestScopeIsolationMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		f := newForeign(t, e)
		before := e.auditCount(t)
		for _, pattern := range e.api.Patterns() {
			if _, ok := unscopedRoutes[pattern]; ok {
				continue
			}
			method, path, _ := strings.Cut(pattern, " ")
			seg := segment(pattern)
			for _, role := range identity.Roles {
				restricted := !(role == identity.Admin || role == identity.Authority)
				switch {
				case parkQueried[pattern]:
					status, _ := e.raw(role, method, path+"?park_id="+f.ids["parks"], nil)
					if status == 403 && role.IsEnterprise() {
						continue // the role may not ask this of any park
					}
					if want := map[bool]int{true: 404, false: 200}[restricted]; status != want {
						t.Errorf("%s about another park as %s: %d, want %d", pattern, role, status, want)
					}
				case strings.Contains(path, "{id}"):
					id, ok := f.ids[seg]
					if !ok {
						t.Fatalf("%s: no foreign object for /%s; add one to the matrix", pattern, seg)
					}
					if !restricted {
						// Every park is in scope: reads must work; writes are not sent.
						if method == "GET" && seg != "users" {
							if status, _ := e.raw(role, method, strings.Replace(path, "{id}", id, 1), nil); status != 200 {
								t.Errorf("%s as %s: %d, want 200 (this role sees every park)", pattern, role, status)
							}
						}
						continue
					}
					status, _ := e.raw(role, method, strings.Replace(path, "{id}", id, 1), matrixBody(pattern))
					// Only the park, zone and building records themselves are public, not what hangs off them.
					wantOK := role.IsEnterprise() && publicToTenants[seg] && method == "GET" && strings.HasSuffix(path, "/{id}")
					switch {
					case wantOK && status != 200:
						t.Errorf("%s as %s: %d, want 200 (public park information)", pattern, role, status)
					case !wantOK && status != 404 && !(role.IsEnterprise() && publicToTenants[seg] && status == 403):
						t.Errorf("%s as %s on another park's object: %d, want 404", pattern, role, status)
					}
				case method == "GET":
					status, body := e.raw(role, method, path, nil)
					if status == 403 {
						continue // the role may not list this at all
					}
					if status != 200 {
						t.Errorf("%s as %s: %d", pattern, role, status)
						continue
					}
					if !restricted || (role.IsEnterprise() && publicToTenants[seg]) {
						continue
					}
					for _, id := range f.all {
						if strings.Contains(body, id) {
							t.Errorf("%s as %s lists another park's or enterprise's object %s", pattern, role, id)
						}
					}
				default:
					body, ok := f.bodies[pattern]
					if !ok {
						t.Fatalf("%s: no foreign body; add one to the matrix", pattern)
					}
					if !restricted {
						continue
					}
					status, answer := e.raw(role, method, path, body)
					if status < 400 {
						t.Errorf("%s as %s into another park/enterprise: %d %s", pattern, role, status, answer)
					}
				}
			}
		}
		if after := e.auditCount(t); after != before {
			t.Errorf("the matrix changed data: %d audit entries before, %d after", before, after)
		}
	})
}

// matrixBody is a well-formed body for a mutating route, so that a refusal can only come
// from scope, never from a malformed request.
func matrixBody(pattern string) any {
	switch {
	case strings.HasPrefix(pattern, "PATCH "):
		return map[string]any{}
	case strings.HasSuffix(pattern, "/split"):
		return map[string]any{"effective_on": "2030-01-01", "parts": []map[string]any{{"code": "X1", "gross_area": 1}, {"code": "X2", "gross_area": 1}}}
	case strings.HasSuffix(pattern, "/password"):
		return map[string]any{"new_password": "long-enough-2"}
	case strings.HasSuffix(pattern, "/terminate"):
		return map[string]any{"terminated_on": "2026-06-30"}
	case strings.HasSuffix(pattern, "/renew"):
		return map[string]any{"number": "R-1", "end_on": "2028-12-31"}
	case strings.HasSuffix(pattern, "/move"):
		return map[string]any{"stage": "contacted"}
	case strings.HasSuffix(pattern, "/pool/{id}/tier"):
		return map[string]any{"tier": "key", "effective_on": "2030-01-01", "reason": "越权"}
	case strings.HasSuffix(pattern, "/submissions"):
		return map[string]any{"year": 2025, "figures": map[string]any{"revenue": "1.00"}}
	case strings.HasSuffix(pattern, "/attributes"):
		return map[string]any{"key": "land_area", "value": 1, "effective_on": "2025-01-01"}
	case strings.HasSuffix(pattern, "/revisions"):
		return map[string]any{"definition": map[string]any{}}
	case strings.HasSuffix(pattern, "/evaluation-schemes/{id}/runs"):
		return map[string]any{"year": 2025}
	case strings.HasSuffix(pattern, "/goals/{id}/actuals"):
		return map[string]any{"year": 2023, "value": 5}
	case strings.HasSuffix(pattern, "/decision"):
		return map[string]any{"action": "cancel", "reason": "越权"}
	case strings.HasSuffix(pattern, "/rules"):
		b := resourceBody("", "")
		for _, k := range []string{"park_id", "code", "name", "kind"} {
			delete(b, k)
		}
		return b
	case strings.HasSuffix(pattern, "/service-platforms/{code}"):
		return map[string]any{"system": "enterprise", "name_zh": "越权", "name_en": "x", "active": true}
	case strings.HasSuffix(pattern, "/working-hours"):
		return map[string]any{"hours": []map[string]any{{"weekday": 1, "from_min": 540, "to_min": 1080}}}
	case strings.HasSuffix(pattern, "/write-off"), strings.HasSuffix(pattern, "/reverse"):
		return map[string]any{"reason": "越权"}
	case strings.HasSuffix(pattern, "/invoice"):
		return map[string]any{"invoice_no": "1", "invoice_date": "2025-03-01"}
	case strings.HasSuffix(pattern, "/bank-statements"):
		return "交易日期,贷方金额,对方户名\n2025-03-01,1.00,越权\n"
	case strings.HasSuffix(pattern, "/deposit/settlement"):
		return map[string]any{"settled_on": "2026-01-05"}
	case strings.HasSuffix(pattern, "/late-fee"):
		return map[string]any{"rule": map[string]any{"rate_bp": 5, "grace_days": 5, "cap_bp": 0}}
	case strings.HasSuffix(pattern, "/invoice-details"):
		return map[string]any{"name": "越权", "tax_id": "91110108MA00000016"}
	case strings.HasSuffix(pattern, "/billing-settings"):
		return map[string]any{"reminder_days": []int{0}}
	case strings.HasSuffix(pattern, "/actions"):
		return map[string]any{"action": "resolve"}
	case pattern == "PUT /api/v1/policies/{id}":
		return policyBody("越权")
	case strings.HasSuffix(pattern, "/events/{id}/cancel"):
		return map[string]any{"reason": "越权"}
	case strings.HasSuffix(pattern, "/check-in"):
		return map[string]any{"code": "ABCDEFGH"}
	case strings.HasSuffix(pattern, "/disbursements"):
		return map[string]any{"paid_on": "2025-03-01", "amount": "1.00"}
	case strings.HasSuffix(pattern, "/notes"):
		return map[string]any{"body": "越权"}
	case strings.HasSuffix(pattern, "/documents"):
		return "越权"
	case strings.HasSuffix(pattern, "/comments"):
		return map[string]any{"body": "越权"}
	case strings.HasSuffix(pattern, "/rating"):
		return map[string]any{"rating": 5}
	case strings.HasSuffix(pattern, "/attachments"):
		return "越权"
	case strings.HasSuffix(pattern, "/webhooks"):
		return map[string]any{"kind": "wecom", "url": "http://127.0.0.1:9/hook"}
	case strings.HasSuffix(pattern, "/holidays"):
		return map[string]any{"day": "2030-01-01", "name": "越权"}
	case strings.HasSuffix(pattern, "/recognitions"):
		return map[string]any{"year": 2030}
	case strings.HasSuffix(pattern, "/activities"):
		return map[string]any{"kind": "note", "text": "x"}
	case strings.HasSuffix(pattern, "/convert"):
		return map[string]any{"number": "C-1", "start_on": "2030-01-01", "end_on": "2030-12-31", "unit_ids": []string{"x"}}
	case strings.HasSuffix(pattern, "/amendments"):
		return map[string]any{"effective_on": "2026-01-01", "remove": []string{"x"}}
	case strings.HasSuffix(pattern, "/draft"), strings.HasSuffix(pattern, "/submit"):
		return map[string]any{"figures": map[string]any{"revenue": 1}}
	case strings.HasSuffix(pattern, "/return"):
		return map[string]any{"reason": "x"}
	}
	return nil
}

func (e *env) raw(role identity.Role, method, path string, body any) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(jsonString(body))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (e *env) auditCount(t *testing.T) int {
	_, body := e.raw(identity.Admin, "GET", "/api/v1/audit?limit=500&action=update", nil)
	n := strings.Count(body, `"action":"update"`)
	_, body = e.raw(identity.Admin, "GET", "/api/v1/audit?limit=500&action=delete", nil)
	n += strings.Count(body, `"action":"delete"`)
	_, body = e.raw(identity.Admin, "GET", "/api/v1/audit?limit=500&action=create", nil)
	return n + strings.Count(body, `"action":"create"`)
}

func jsonString(v any) string {
	switch b := v.(type) {
	case string:
		return b
	}
	return fmt.Sprint(mustJSON(v))
}
