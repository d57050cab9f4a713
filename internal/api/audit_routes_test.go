package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/evaluation"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
)

// writeCall is one successful request to a write route: who sends it, where, with what.
type writeCall struct {
	role  identity.Role
	token string // sent instead of the role's token when set
	path  string
	body  any
}

// accountRoutes change a user's own account: their entries are about the user, who belongs to
// no one park, so they carry neither park nor enterprise.
var accountRoutes = map[string]bool{"POST /api/v1/session": true, "DELETE /api/v1/session": true,
	"POST /api/v1/me/password": true, "POST /api/v1/tokens": true, "DELETE /api/v1/tokens/{id}": true,
	"POST /api/v1/calendar-feeds": true, "DELETE /api/v1/calendar-feeds/{id}": true,
	"POST /api/v1/notifications/{id}/read": true, "PUT /api/v1/me/notification-preferences": true}

// authorityRoutes change the authority's own instruments over every park (evaluation schemes
// and runs), which belong to no one park or enterprise.
var authorityRoutes = map[string]bool{"POST /api/v1/policies": true, "PUT /api/v1/policies/{id}": true, "POST /api/v1/policies/{id}/actions": true,
	"POST /api/v1/indicators": true, "POST /api/v1/evaluation-schemes": true, "POST /api/v1/evaluation-schemes/{id}/revisions": true,
	"POST /api/v1/evaluation-schemes/{id}/runs": true}

// readOnlyPosts take a body too large or structured for a query string and change nothing.
var readOnlyPosts = map[string]bool{"POST /api/v1/policy-rules/describe": true}

// TestEveryWriteIsAudited walks every write route of the route table, makes one successful
// request to it on objects made for the purpose, and proves that it left at least one audit
// entry, carrying the park or enterprise of what it changed (account routes: the user). A new
// write route fails here until it has a case.
func TestEveryWriteIsAudited(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		cases := newWriteCases(t, e)
		for _, pattern := range e.api.Patterns() {
			method, _, _ := strings.Cut(pattern, " ")
			if method == "GET" || readOnlyPosts[pattern] {
				continue
			}
			prepare, ok := cases[pattern]
			if !ok {
				t.Errorf("%s: no audit case; add one", pattern)
				continue
			}
			call := prepare()
			before := e.newestAudit(t)
			status, answer := e.send(call, method)
			if status >= 300 {
				t.Errorf("%s as %s: %d %s", pattern, call.role, status, answer)
				continue
			}
			entries := e.auditSince(t, before)
			if len(entries) == 0 {
				t.Errorf("%s succeeded (%d) and left no audit entry", pattern, status)
				continue
			}
			owned := false
			for _, en := range entries {
				owned = owned || en.ParkID != "" || en.EnterpriseID != ""
				// The audit page names and filters by these lists (and translates each).
				if !slices.Contains(audit.Actions, en.Action) || !slices.Contains(audit.Entities, en.Entity) {
					t.Errorf("%s: audit entry %s %s is not in audit.Actions / audit.Entities", pattern, en.Action, en.Entity)
				}
			}
			if !owned && !accountRoutes[pattern] && !authorityRoutes[pattern] {
				t.Errorf("%s: its audit entries %s %s carry no park or enterprise", pattern, entries[0].Action, entries[0].Entity)
			}
		}
	})
}

func (e *env) send(c writeCall, method string) (int, string) {
	e.t.Helper()
	var rd io.Reader
	switch b := c.body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		rd = strings.NewReader(jsonString(b))
	}
	req, _ := http.NewRequest(method, e.srv.URL+c.path, rd)
	token := c.token
	if token == "" {
		token = e.tokens[c.role]
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (e *env) newestAudit(t *testing.T) string {
	pg, err := e.store.ListAudit(context.Background(), identity.System(), audit.Filter{}, page.Request{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Items) == 0 {
		return ""
	}
	return pg.Items[0].ID
}

// auditSince lists the entries written after the entry with id newest, newest first.
func (e *env) auditSince(t *testing.T, newest string) []audit.Entry {
	pg, err := e.store.ListAudit(context.Background(), identity.System(), audit.Filter{}, page.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range pg.Items {
		if en.ID == newest {
			break
		}
		out = append(out, en)
	}
	return out
}

// newWriteCases makes, per write route, a function that prepares fresh objects for one
// successful request and returns it.
func newWriteCases(t *testing.T, e *env) map[string]func() writeCall {
	ctx, sys, w := context.Background(), identity.System(), e.world
	ks := storetest.ContractsOf(e.store)
	n := 0
	uniq := func(prefix string) string { n++; return fmt.Sprintf("%s%03d", prefix, n) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	p0, f0 := w.Parks[0].ID, w.Floors[0].ID
	unit := func() space.Unit {
		u, err := storetest.SpaceOf(e.store).CreateUnit(ctx, sys, space.Unit{FloorID: f0, Code: uniq("AU-"), Kind: space.KindOffice,
			GrossArea: measure.AreaM2(50), Leasable: true, ValidFrom: civil.Of(2024, 1, 1)})
		must(err)
		return u
	}
	ent := func() enterprise.Enterprise {
		x, err := storetest.EnterpriseOf(e.store).CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: p0, Name: uniq("审计企业"), CreditCode: storetest.CreditCode(100 + n)})
		must(err)
		return x
	}
	contract := func(status leasing.Status) leasing.Contract {
		k, err := ks.Create(ctx, sys, leasing.Contract{Number: uniq("HT-A"), EnterpriseID: w.Enterprises[0].ID, Status: status,
			StartOn: civil.Of(2025, 1, 1), EndOn: civil.Of(2027, 12, 31), Price: 50000, Units: []leasing.ContractUnit{{UnitID: unit().ID}}})
		must(err)
		return k
	}
	lead := func() leasing.Lead {
		l, err := storetest.ContractsOf(e.store).CreateLead(ctx, sys, leasing.Lead{ParkID: p0, Company: uniq("审计线索")})
		must(err)
		return l
	}
	period := func() stats.Period {
		n++
		year := 2025 + n%70
		p, err := storetest.StatsOf(e.store).OpenPeriod(ctx, sys, stats.Period{ParkID: p0, Kind: stats.Annual, Year: year, Deadline: civil.Of(year+1, 4, 20)})
		must(err)
		return p
	}
	report := func(submitted bool) string {
		p := period()
		pg, err := e.store.ListReports(ctx, sys, stats.ReportFilter{PeriodID: p.ID, EnterpriseID: w.Enterprises[0].ID}, page.Request{})
		must(err)
		if submitted {
			if status, answer := e.send(writeCall{role: identity.EntAdmin, path: "/api/v1/reports/" + pg.Items[0].ID + "/submit",
				body: map[string]any{"figures": figures()}}, "POST"); status != 200 {
				t.Fatalf("submit: %d %s", status, answer)
			}
		}
		return pg.Items[0].ID
	}
	user := func() identity.User {
		u, err := storetest.AccountsOf(e.store).CreateUser(ctx, sys, identity.UserInput{Username: uniq("audited_"), Role: identity.EntMember,
			EnterpriseID: w.Enterprises[0].ID, Password: "long-enough-1"})
		must(err)
		return u
	}
	signIn := func(u identity.User) string {
		tok, err := storetest.AccountsOf(e.store).CreateSession(ctx, u, "api", SessionTTL)
		must(err)
		return tok
	}
	const pm, admin = identity.ParkManager, identity.Admin
	return map[string]func() writeCall{
		"POST /api/v1/session": func() writeCall {
			return writeCall{path: "/api/v1/session", body: map[string]string{"username": user().Username, "password": "long-enough-1"}}
		},
		"DELETE /api/v1/session": func() writeCall { return writeCall{token: signIn(user()), path: "/api/v1/session"} },
		"POST /api/v1/me/password": func() writeCall {
			return writeCall{token: signIn(user()), path: "/api/v1/me/password",
				body: map[string]string{"current_password": "long-enough-1", "new_password": "long-enough-2"}}
		},
		"POST /api/v1/tokens": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/tokens", body: map[string]any{"name": uniq("t"), "expires_at": "2030-01-01T00:00:00Z"}}
		},
		"DELETE /api/v1/tokens/{id}": func() writeCall {
			u := user()
			tok, err := storetest.AccountsOf(e.store).CreateToken(ctx, identity.ScopeOf(u), "x", w.Parks[0].CreatedAt.AddDate(1, 0, 0))
			must(err)
			return writeCall{token: signIn(u), path: "/api/v1/tokens/" + tok.ID}
		},
		"POST /api/v1/users": func() writeCall {
			return writeCall{role: admin, path: "/api/v1/users", body: map[string]any{"username": uniq("new_"), "role": "ent_member",
				"enterprise_id": w.Enterprises[0].ID, "password": "long-enough-1"}}
		},
		"PATCH /api/v1/users/{id}": func() writeCall {
			return writeCall{role: admin, path: "/api/v1/users/" + user().ID, body: map[string]any{"display_name": "改名"}}
		},
		"DELETE /api/v1/users/{id}": func() writeCall { return writeCall{role: admin, path: "/api/v1/users/" + user().ID} },
		"POST /api/v1/users/{id}/password": func() writeCall {
			return writeCall{role: admin, path: "/api/v1/users/" + user().ID + "/password", body: map[string]any{"new_password": "long-enough-3"}}
		},
		"POST /api/v1/parks": func() writeCall {
			return writeCall{role: admin, path: "/api/v1/parks", body: map[string]any{"code": uniq("AP"), "name_zh": "审计园区"}}
		},
		"PATCH /api/v1/parks/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/parks/" + p0, body: map[string]any{"description": uniq("说明")}}
		},
		"DELETE /api/v1/parks/{id}": func() writeCall {
			p, err := storetest.SpaceOf(e.store).CreatePark(ctx, sys, space.Park{Code: uniq("DP"), NameZh: "将删除"})
			must(err)
			return writeCall{role: admin, path: "/api/v1/parks/" + p.ID}
		},
		"POST /api/v1/zones": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/zones", body: map[string]any{"park_id": p0, "code": uniq("Z"), "name_zh": "区"}}
		},
		"PATCH /api/v1/zones/{id}": func() writeCall {
			z, err := storetest.SpaceOf(e.store).CreateZone(ctx, sys, space.Zone{ParkID: p0, Code: uniq("Z"), NameZh: "区"})
			must(err)
			return writeCall{role: pm, path: "/api/v1/zones/" + z.ID, body: map[string]any{"name_en": "zone"}}
		},
		"DELETE /api/v1/zones/{id}": func() writeCall {
			z, err := storetest.SpaceOf(e.store).CreateZone(ctx, sys, space.Zone{ParkID: p0, Code: uniq("Z"), NameZh: "区"})
			must(err)
			return writeCall{role: pm, path: "/api/v1/zones/" + z.ID}
		},
		"POST /api/v1/buildings": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/buildings", body: map[string]any{"park_id": p0, "code": uniq("B"), "name": "楼"}}
		},
		"PATCH /api/v1/buildings/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/buildings/" + w.Buildings[0].ID, body: map[string]any{"description": uniq("楼")}}
		},
		"DELETE /api/v1/buildings/{id}": func() writeCall {
			b, err := storetest.SpaceOf(e.store).CreateBuilding(ctx, sys, space.Building{ParkID: p0, Code: uniq("B"), Name: "将删除"})
			must(err)
			return writeCall{role: pm, path: "/api/v1/buildings/" + b.ID}
		},
		"POST /api/v1/floors": func() writeCall {
			n++
			return writeCall{role: pm, path: "/api/v1/floors", body: map[string]any{"building_id": w.Buildings[0].ID, "level": 10 + n}}
		},
		"PATCH /api/v1/floors/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/floors/" + f0, body: map[string]any{"label": uniq("F")}}
		},
		"DELETE /api/v1/floors/{id}": func() writeCall {
			n++
			fl, err := storetest.SpaceOf(e.store).CreateFloor(ctx, sys, space.Floor{BuildingID: w.Buildings[0].ID, Level: -1 - n%3})
			must(err)
			return writeCall{role: pm, path: "/api/v1/floors/" + fl.ID}
		},
		"POST /api/v1/units": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/units", body: map[string]any{"floor_id": f0, "code": uniq("NU-"), "kind": "office",
				"gross_area": 20, "leasable": true}}
		},
		"PATCH /api/v1/units/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/units/" + unit().ID, body: map[string]any{"note": "改"}}
		},
		"DELETE /api/v1/units/{id}": func() writeCall { return writeCall{role: pm, path: "/api/v1/units/" + unit().ID} },
		"POST /api/v1/units/{id}/split": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/units/" + unit().ID + "/split", body: map[string]any{"effective_on": "2030-01-01",
				"parts": []map[string]any{{"code": uniq("S-"), "gross_area": 20}, {"code": uniq("S-"), "gross_area": 30}}}}
		},
		"POST /api/v1/units/merge": func() writeCall {
			a := unit()
			b, err := storetest.SpaceOf(e.store).CreateUnit(ctx, sys, space.Unit{FloorID: f0, Code: uniq("AU-"), Kind: space.KindOffice,
				GrossArea: measure.AreaM2(50), Leasable: true, ValidFrom: civil.Of(2024, 1, 1), NeighbourIDs: []string{a.ID}})
			must(err)
			return writeCall{role: pm, path: "/api/v1/units/merge", body: map[string]any{"unit_ids": []string{a.ID, b.ID},
				"effective_on": "2030-01-01", "code": uniq("M-")}}
		},
		"POST /api/v1/enterprises": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/enterprises", body: map[string]any{"park_id": p0, "name": uniq("新企业")}}
		},
		"PATCH /api/v1/enterprises/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/enterprises/" + ent().ID, body: map[string]any{"employees": 12}}
		},
		"DELETE /api/v1/enterprises/{id}": func() writeCall { return writeCall{role: pm, path: "/api/v1/enterprises/" + ent().ID} },
		"POST /api/v1/residencies": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/residencies", body: map[string]any{"enterprise_id": ent().ID, "park_id": p0, "move_in": "2030-01-01"}}
		},
		"PATCH /api/v1/residencies/{id}": func() writeCall {
			r, err := storetest.EnterpriseOf(e.store).CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: ent().ID, ParkID: p0, MoveIn: civil.Of(2025, 1, 1)})
			must(err)
			return writeCall{role: pm, path: "/api/v1/residencies/" + r.ID, body: map[string]any{"note": "改"}}
		},
		"DELETE /api/v1/residencies/{id}": func() writeCall {
			r, err := storetest.EnterpriseOf(e.store).CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: ent().ID, ParkID: p0, MoveIn: civil.Of(2025, 1, 1)})
			must(err)
			return writeCall{role: pm, path: "/api/v1/residencies/" + r.ID}
		},
		"POST /api/v1/qualifications": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/qualifications", body: map[string]any{"enterprise_id": ent().ID, "kind": "gazelle"}}
		},
		"PATCH /api/v1/qualifications/{id}": func() writeCall {
			q, err := storetest.EnterpriseOf(e.store).CreateQualification(ctx, sys, enterprise.Qualification{EnterpriseID: ent().ID, Kind: "gazelle"})
			must(err)
			return writeCall{role: pm, path: "/api/v1/qualifications/" + q.ID, body: map[string]any{"note": "改"}}
		},
		"DELETE /api/v1/qualifications/{id}": func() writeCall {
			q, err := storetest.EnterpriseOf(e.store).CreateQualification(ctx, sys, enterprise.Qualification{EnterpriseID: ent().ID, Kind: "gazelle"})
			must(err)
			return writeCall{role: pm, path: "/api/v1/qualifications/" + q.ID}
		},
		"POST /api/v1/contracts": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts", body: map[string]any{"number": uniq("HT-N"), "enterprise_id": w.Enterprises[0].ID,
				"start_on": "2030-01-01", "end_on": "2030-12-31", "price": 5, "units": []map[string]any{{"unit_id": unit().ID}}}}
		},
		"PATCH /api/v1/contracts/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Draft).ID, body: map[string]any{"note": "改"}}
		},
		"DELETE /api/v1/contracts/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Draft).ID}
		},
		"POST /api/v1/contracts/{id}/activate": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Draft).ID + "/activate"}
		},
		"POST /api/v1/contracts/{id}/terminate": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Active).ID + "/terminate",
				body: map[string]any{"terminated_on": "2026-06-30"}}
		},
		"POST /api/v1/contracts/{id}/amendments": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Active).ID + "/amendments",
				body: map[string]any{"effective_on": "2026-01-01", "add": []string{unit().ID}}}
		},
		"POST /api/v1/contracts/{id}/renew": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/contracts/" + contract(leasing.Active).ID + "/renew",
				body: map[string]any{"number": uniq("HT-R"), "end_on": "2029-12-31"}}
		},
		"POST /api/v1/leads": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/leads", body: map[string]any{"park_id": p0, "company": uniq("线索")}}
		},
		"PATCH /api/v1/leads/{id}": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/leads/" + lead().ID, body: map[string]any{"note": "改"}}
		},
		"DELETE /api/v1/leads/{id}": func() writeCall { return writeCall{role: pm, path: "/api/v1/leads/" + lead().ID} },
		"POST /api/v1/leads/{id}/move": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/leads/" + lead().ID + "/move", body: map[string]any{"stage": "contacted"}}
		},
		"POST /api/v1/leads/{id}/activities": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/leads/" + lead().ID + "/activities", body: map[string]any{"kind": "note", "text": "记一笔"}}
		},
		"POST /api/v1/leads/{id}/convert": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/leads/" + lead().ID + "/convert", body: map[string]any{"number": uniq("HT-C"),
				"enterprise_name": uniq("转化企业"), "start_on": "2031-01-01", "end_on": "2031-12-31", "price": 4, "unit_ids": []string{unit().ID}}}
		},
		"POST /api/v1/holds": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/holds", body: map[string]any{"lead_id": lead().ID, "unit_id": unit().ID,
				"until": e.api.clock.Today().AddDays(10).String()}}
		},
		"POST /api/v1/holds/{id}/release": func() writeCall {
			h, err := storetest.ContractsOf(e.store).CreateHold(ctx, sys, leasing.Hold{LeadID: lead().ID, UnitID: unit().ID, Until: e.api.clock.Today().AddDays(10)})
			must(err)
			return writeCall{role: pm, path: "/api/v1/holds/" + h.ID + "/release"}
		},
		"POST /api/v1/pool": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/pool", body: map[string]any{"park_id": p0, "entered_on": "2024-01-01",
				"tier": "reserve", "reason": "首批入库"}}
		},
		"POST /api/v1/pool/{id}/tier": func() writeCall {
			pooled := pooledPark(t, e, w.Parks[1].ID)
			return writeCall{role: identity.Authority, path: "/api/v1/pool/" + pooled + "/tier", body: map[string]any{"tier": "key",
				"effective_on": "2026-01-01", "reason": uniq("年度评价优秀")}}
		},
		"POST /api/v1/calendar-feeds": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/calendar-feeds", body: map[string]any{}}
		},
		"DELETE /api/v1/calendar-feeds/{id}": func() writeCall {
			feed, err := booking.NewService(e.store, civil.SystemClock{}, nil).CreateFeed(ctx, w.Scope(identity.EntAdmin), booking.NewFeed{})
			must(err)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/calendar-feeds/" + feed.ID}
		},
		"POST /api/v1/notifications/{id}/read": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/notifications/" + noticeFor(t, e, w.Scope(identity.EntAdmin)) + "/read"}
		},
		"PUT /api/v1/me/notification-preferences": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/me/notification-preferences",
				body: map[string]any{"preferences": []map[string]any{{"kind": "booking_decided", "channel": "email", "enabled": true}}}}
		},
		"POST /api/v1/parks/{id}/webhooks": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/parks/" + p0 + "/webhooks", body: map[string]any{"kind": "wecom", "url": "http://127.0.0.1:9/hook"}}
		},
		"POST /api/v1/resources": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/resources", body: resourceBody(p0, uniq("MR-A"))}
		},
		"PUT /api/v1/resources/{id}/rules": func() writeCall {
			r, _ := facility(t, e, 0, w.Users[identity.EntAdmin].Username, 8)
			b := resourceBody("", "")
			for _, k := range []string{"park_id", "code", "name", "kind"} {
				delete(b, k)
			}
			b["lead_hours"] = 2
			return writeCall{role: identity.ParkManager, path: "/api/v1/resources/" + r + "/rules", body: b}
		},
		"POST /api/v1/bookings": func() writeCall {
			r, _ := facility(t, e, 0, w.Users[identity.EntAdmin].Username, 8)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/bookings", body: map[string]any{"resource_id": r, "start": tomorrowAt(12), "end": tomorrowAt(13)}}
		},
		"POST /api/v1/bookings/{id}/decision": func() writeCall {
			_, b := facility(t, e, 0, w.Users[identity.EntAdmin].Username, 8)
			return writeCall{role: identity.ParkManager, path: "/api/v1/bookings/" + b + "/decision", body: map[string]any{"action": "check_in"}}
		},
		"PUT /api/v1/parks/{id}/service-platforms/{code}": func() writeCall {
			return writeCall{role: identity.Service, path: "/api/v1/parks/" + p0 + "/service-platforms/" + uniq("lab"),
				body: map[string]any{"system": "industry_tech", "name_zh": "实验平台", "name_en": "Labs", "active": true}}
		},
		"PUT /api/v1/parks/{id}/working-hours": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/parks/" + p0 + "/working-hours",
				body: map[string]any{"hours": []map[string]any{{"weekday": 1, "from_min": 510 + n%30, "to_min": 1080}}}}
		},
		"POST /api/v1/service-providers": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/service-providers", body: map[string]any{"park_id": p0, "name": uniq("律所"), "kind": "third_party"}}
		},
		"POST /api/v1/service-offerings": func() writeCall {
			_, _, provider := serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
			return writeCall{role: identity.ParkManager, path: "/api/v1/service-offerings", body: map[string]any{"provider_id": provider, "platform": "legal",
				"name": uniq("合同审查"), "price": 80000, "price_unit": "item", "lead_days": 3}}
		},
		"POST /api/v1/service-categories": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/service-categories", body: map[string]any{"park_id": p0, "code": uniq("cat"),
				"name_zh": "实验室气体", "name_en": "Lab gases", "platform": "property", "response_hours": 2, "resolution_hours": 8}}
		},
		"POST /api/v1/service-requests": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/service-requests", body: map[string]any{"category_id": "svc-legal", "title": uniq("咨询"), "body": "劳动合同"}}
		},
		"POST /api/v1/service-demands": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/service-demands", body: map[string]any{"park_id": p0, "category_id": "dem-permit",
				"title": uniq("施工许可"), "body": "请协调"}}
		},
		"POST /api/v1/service-requests/{id}/actions": func() writeCall {
			tk, _, _ := serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
			return writeCall{role: identity.ParkManager, path: "/api/v1/service-requests/" + tk + "/actions", body: map[string]any{"action": "resolve", "note": "已修复"}}
		},
		"POST /api/v1/service-requests/{id}/comments": func() writeCall {
			tk, _, _ := serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/service-requests/" + tk + "/comments", body: map[string]any{"body": "请尽快"}}
		},
		"POST /api/v1/service-requests/{id}/rating": func() writeCall {
			tk, _, _ := serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
			_, err := e.api.svc.Services.Act(ctx, w.Scope(identity.ParkManager), tk, servicedesk.Action{Action: "resolve"})
			must(err)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/service-requests/" + tk + "/rating", body: map[string]any{"rating": 5}}
		},
		"POST /api/v1/service-requests/{id}/attachments": func() writeCall {
			tk, _, _ := serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/service-requests/" + tk + "/attachments?filename=note.txt", body: "位置：二层"}
		},
		"POST /api/v1/policies": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/policies", body: policyBody(uniq("高精尖产业支持"))}
		},
		"PUT /api/v1/policies/{id}": func() writeCall {
			p, err := e.api.svc.Policies.CreatePolicy(ctx, sys, policy.NewPolicy{Title: uniq("人才补贴"), Issuer: "管委会", ValidFrom: civil.Of(2020, 1, 1),
				Benefit: "talent", Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(1000)}, Scope: policy.Coverage{Kind: "all"}, Eligibility: everyone})
			must(err)
			return writeCall{role: identity.Authority, path: "/api/v1/policies/" + p.ID, body: policyBody(uniq("人才补贴（修订）"))}
		},
		"POST /api/v1/policies/{id}/actions": func() writeCall {
			p, err := e.api.svc.Policies.CreatePolicy(ctx, sys, policy.NewPolicy{Title: uniq("贷款贴息"), Issuer: "管委会", ValidFrom: civil.Of(2020, 1, 1),
				Benefit: "interest_subsidy", Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(1000)}, Scope: policy.Coverage{Kind: "all"}, Eligibility: everyone})
			must(err)
			return writeCall{role: identity.Authority, path: "/api/v1/policies/" + p.ID + "/actions", body: map[string]any{"action": "publish"}}
		},
		"POST /api/v1/policy-applications": func() writeCall {
			p, err := e.api.svc.Policies.CreatePolicy(ctx, sys, policy.NewPolicy{Title: uniq("研发奖励"), Issuer: "管委会", ValidFrom: civil.Of(2020, 1, 1),
				Benefit: "award", Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(1000)}, Scope: policy.Coverage{Kind: "all"}, Eligibility: everyone})
			must(err)
			_, err = e.api.svc.Policies.Publish(ctx, sys, p.ID)
			must(err)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/policy-applications", body: map[string]any{"policy_id": p.ID, "submit": true}}
		},
		"POST /api/v1/policy-applications/{id}/actions": func() writeCall {
			_, app, _ := policyApplication(t, e, 0)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/policy-applications/" + app + "/actions", body: map[string]any{"action": "submit"}}
		},
		"POST /api/v1/policy-applications/{id}/disbursements": func() writeCall {
			app := approvedApplication(t, e, 0)
			return writeCall{role: identity.ParkManager, path: "/api/v1/policy-applications/" + app + "/disbursements", body: map[string]any{"paid_on": civil.SystemClock{}.Today().String(), "amount": "20000.00"}}
		},
		"POST /api/v1/policy-applications/{id}/notes": func() writeCall {
			_, app, _ := policyApplication(t, e, 0)
			return writeCall{role: identity.ParkManager, path: "/api/v1/policy-applications/" + app + "/notes", body: map[string]any{"body": "材料齐全"}}
		},
		"POST /api/v1/policy-applications/{id}/documents": func() writeCall {
			_, app, _ := policyApplication(t, e, 0)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/policy-applications/" + app + "/documents?filename=plan.txt", body: "研发计划"}
		},
		"POST /api/v1/events": func() writeCall {
			_, _, hall := registered(t, e, 0)
			return writeCall{role: identity.ParkManager, path: "/api/v1/events", body: eventBody(p0, hall)}
		},
		"POST /api/v1/events/{id}/cancel": func() writeCall {
			ev, _, _ := registered(t, e, 0)
			return writeCall{role: identity.ParkManager, path: "/api/v1/events/" + ev + "/cancel", body: map[string]any{"reason": "嘉宾行程变化"}}
		},
		"POST /api/v1/events/{id}/registrations": func() writeCall {
			ev, _, _ := registered(t, e, 0)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/events/" + ev + "/registrations"}
		},
		"POST /api/v1/events/{id}/check-in": func() writeCall {
			ev, reg := underWay(t, e, 0)
			r, err := e.api.svc.Events.Registration(ctx, sys, reg)
			must(err)
			return writeCall{role: identity.ParkManager, path: "/api/v1/events/" + ev + "/check-in", body: map[string]any{"code": r.Code}}
		},
		"POST /api/v1/event-registrations/{id}/cancel": func() writeCall {
			_, reg, _ := registered(t, e, 0)
			return writeCall{role: identity.ParkManager, path: "/api/v1/event-registrations/" + reg + "/cancel"}
		},
		"POST /api/v1/billing-runs": func() writeCall {
			billed(t, e, 0)
			return writeCall{role: identity.Finance, path: "/api/v1/billing-runs", body: map[string]any{"park_id": p0, "billing_date": civil.Of(2020, 3, 1).AddDays(n % 200).String()}}
		},
		"POST /api/v1/bills/{id}/issue": func() writeCall {
			billed(t, e, 0)
			run, err := e.api.svc.Billing.RunBilling(ctx, sys, billing.Run{ParkID: p0, BillingDate: civil.Of(2025, 6, 1).AddDays(n % 150)})
			must(err)
			if len(run.Bills) == 0 {
				t.Fatal("no draft bill to issue")
			}
			return writeCall{role: identity.Finance, path: "/api/v1/bills/" + run.Bills[0].ID + "/issue"}
		},
		"POST /api/v1/bills/{id}/discard": func() writeCall {
			billed(t, e, 0)
			run, err := e.api.svc.Billing.RunBilling(ctx, sys, billing.Run{ParkID: p0, BillingDate: civil.Of(2025, 11, 1).AddDays(n % 50)})
			must(err)
			if len(run.Bills) == 0 {
				t.Fatal("no draft bill to discard")
			}
			return writeCall{role: identity.Finance, path: "/api/v1/bills/" + run.Bills[0].ID + "/discard"}
		},
		"POST /api/v1/bills/{id}/write-off": func() writeCall {
			bill, _, _ := billed(t, e, 0)
			return writeCall{role: identity.Finance, path: "/api/v1/bills/" + bill + "/write-off", body: map[string]any{"reason": "企业注销"}}
		},
		"POST /api/v1/bills/{id}/invoice-request": func() writeCall {
			bill, _, _ := billed(t, e, 0)
			return writeCall{role: identity.EntAdmin, path: "/api/v1/bills/" + bill + "/invoice-request"}
		},
		"PUT /api/v1/bills/{id}/invoice": func() writeCall {
			bill, _, _ := billed(t, e, 0)
			_, err := e.api.svc.Billing.RequestInvoice(ctx, w.Scope(identity.EntAdmin), bill)
			must(err)
			return writeCall{role: identity.Finance, path: "/api/v1/bills/" + bill + "/invoice", body: map[string]any{"invoice_no": uniq("INV"), "invoice_date": "2025-03-01"}}
		},
		"POST /api/v1/payments": func() writeCall {
			return writeCall{role: identity.Finance, path: "/api/v1/payments", body: map[string]any{"park_id": p0, "enterprise_id": w.Enterprises[0].ID,
				"paid_on": "2025-03-01", "amount": "1.00", "method": "cash", "as_credit": true}}
		},
		"POST /api/v1/payments/{id}/reverse": func() writeCall {
			_, payment, _ := billed(t, e, 0)
			return writeCall{role: identity.Finance, path: "/api/v1/payments/" + payment + "/reverse", body: map[string]any{"reason": "重复入账"}}
		},
		"POST /api/v1/parks/{id}/bank-statements": func() writeCall {
			return writeCall{role: identity.Finance, path: "/api/v1/parks/" + p0 + "/bank-statements",
				body: "交易日期,贷方金额,对方户名,摘要\n2025-03-01,1.00," + w.Enterprises[0].Name + "," + uniq("流水") + "\n"}
		},
		"POST /api/v1/contracts/{id}/deposit/settlement": func() writeCall {
			_, _, k := billed(t, e, 0)
			return writeCall{role: identity.Finance, path: "/api/v1/contracts/" + k + "/deposit/settlement", body: map[string]any{"settled_on": "2026-01-05",
				"deductions": []map[string]any{{"reason": "清洁", "amount": "10.00"}}}}
		},
		"PUT /api/v1/contracts/{id}/late-fee": func() writeCall {
			_, _, k := billed(t, e, 0)
			return writeCall{role: identity.Finance, path: "/api/v1/contracts/" + k + "/late-fee", body: map[string]any{"rule": map[string]any{"rate_bp": 5, "grace_days": 5, "cap_bp": 1000}}}
		},
		"PUT /api/v1/enterprises/{id}/invoice-details": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/enterprises/" + w.Enterprises[0].ID + "/invoice-details",
				body: map[string]any{"name": uniq("开票名称"), "tax_id": w.Enterprises[0].CreditCode}}
		},
		"PUT /api/v1/parks/{id}/billing-settings": func() writeCall {
			return writeCall{role: identity.Finance, path: "/api/v1/parks/" + p0 + "/billing-settings", body: map[string]any{"reminder_days": []int{-3, 0, n%300 + 1}}}
		},
		"POST /api/v1/certificates": func() writeCall {
			return writeCall{role: identity.Service, path: "/api/v1/certificates", body: map[string]any{"park_id": p0, "username": w.Users[identity.EntAdmin].Username,
				"kind": uniq("p2-"), "issued_on": "2025-01-01", "expires_on": "2030-01-01"}}
		},
		"POST /api/v1/parks/{id}/holidays": func() writeCall {
			return writeCall{role: identity.ParkManager, path: "/api/v1/parks/" + p0 + "/holidays", body: map[string]any{"day": civil.Of(2030, 1, 1).AddDays(n).String(), "name": uniq("休息日")}}
		},
		"POST /api/v1/pool/{id}/recognitions": func() writeCall {
			pooled := pooledPark(t, e, w.Parks[1].ID)
			return writeCall{role: identity.Authority, path: "/api/v1/pool/" + pooled + "/recognitions", body: map[string]any{"year": 2000 + n%100}}
		},
		"POST /api/v1/goals": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/goals", body: map[string]any{"name": uniq("目标"), "indicator": "revenue",
				"group": "parks:" + p0, "baseline_year": 2021, "baseline_value": 10, "target_year": 2025, "target_value": 20}}
		},
		"POST /api/v1/goals/{id}/actuals": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/goals/" + parkGoal(t, e, p0) + "/actuals", body: map[string]any{"year": 2022, "value": 12}}
		},
		"DELETE /api/v1/goals/{id}": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/goals/" + parkGoal(t, e, p0)}
		},
		"POST /api/v1/parks/{id}/submissions": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/parks/" + p0 + "/submissions", body: map[string]any{"year": 2000 + n%100,
				"figures": map[string]any{"revenue": "1000000.00", "employees": 50}}}
		},
		"POST /api/v1/parks/{id}/attributes": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/parks/" + p0 + "/attributes", body: map[string]any{"key": "incubators", "value": 2, "effective_on": "2024-01-01"}}
		},
		"POST /api/v1/indicators": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/indicators", body: map[string]any{"code": uniq("tax_per_staff_"), "name_zh": "人均纳税",
				"name_en": "Tax per employee", "unit": "元/人", "formula": "tax / employees", "basis": "staff", "higher_is_better": true}}
		},
		"POST /api/v1/evaluation-schemes": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/evaluation-schemes", body: map[string]any{"name": uniq("评价方案"),
				"definition": evaluation.Templates[0].Definition}}
		},
		"POST /api/v1/evaluation-schemes/{id}/revisions": func() writeCall {
			scheme, _ := evaluated(t, e)
			return writeCall{role: identity.Authority, path: "/api/v1/evaluation-schemes/" + scheme + "/revisions",
				body: map[string]any{"definition": evaluation.Templates[1].Definition}}
		},
		"POST /api/v1/evaluation-schemes/{id}/runs": func() writeCall {
			scheme, _ := evaluated(t, e)
			return writeCall{role: identity.Authority, path: "/api/v1/evaluation-schemes/" + scheme + "/runs", body: map[string]any{"year": 2025}}
		},
		"POST /api/v1/targets": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/targets", body: map[string]any{"park_id": p0, "metric": "occupancy", "basis_points": 5000,
				"by_date": "2030-01-01"}}
		},
		"DELETE /api/v1/targets/{id}": func() writeCall {
			tg, err := storetest.ContractsOf(e.store).CreateTarget(ctx, sys, leasing.Target{ParkID: p0, Metric: "occupancy", BasisPoints: 6000, ByDate: civil.Of(2030, 6, 30)})
			must(err)
			return writeCall{role: pm, path: "/api/v1/targets/" + tg.ID}
		},
		"POST /api/v1/periods": func() writeCall {
			n++
			return writeCall{role: pm, path: "/api/v1/periods", body: map[string]any{"park_id": p0, "kind": "annual", "year": 2025 + n%70,
				"deadline": fmt.Sprintf("%d-04-20", 2026+n%70)}}
		},
		"POST /api/v1/periods/{id}/close": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/periods/" + period().ID + "/close"}
		},
		"POST /api/v1/periods/{id}/imports": func() writeCall {
			p := period()
			return writeCall{role: pm, path: "/api/v1/periods/" + p.ID + "/imports", body: e.filledTemplate(t, p.ID)}
		},
		"PUT /api/v1/reports/{id}/draft": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/reports/" + report(false) + "/draft", body: map[string]any{"figures": figures()}}
		},
		"POST /api/v1/reports/{id}/submit": func() writeCall {
			return writeCall{role: identity.EntAdmin, path: "/api/v1/reports/" + report(false) + "/submit", body: map[string]any{"figures": figures()}}
		},
		"POST /api/v1/periods/{id}/approve-submitted": func() writeCall {
			r, err := e.store.GetReport(ctx, sys, report(true))
			must(err)
			return writeCall{role: pm, path: "/api/v1/periods/" + r.PeriodID + "/approve-submitted"}
		},
		"POST /api/v1/reports/{id}/approve": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/reports/" + report(true) + "/approve"}
		},
		"POST /api/v1/reports/{id}/return": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/reports/" + report(true) + "/return", body: map[string]any{"reason": "请补充"}}
		},
		"POST /api/v1/park-submissions/imports": func() writeCall {
			return writeCall{role: identity.Authority, path: "/api/v1/park-submissions/imports",
				body: []byte("园区编码,年度,营业收入,从业人员期末人数\n" + w.Parks[0].Code + "," + fmt.Sprint(2000+n%100) + ",1000000.00,30\n")}
		},
		"POST /api/v1/pool/imports": func() writeCall {
			p, err := storetest.SpaceOf(e.store).CreatePark(ctx, sys, space.Park{Code: uniq("POOLIMP"), NameZh: "导入园区", Status: space.ParkOperating})
			must(err)
			return writeCall{role: identity.Authority, path: "/api/v1/pool/imports", body: []byte("园区编码,入库日期,梯队,理由,特色产业园认定年度\n" + p.Code + ",2024-03-01,重点打造,首批,2024\n")}
		},
		"POST /api/v1/onboarding/imports": func() writeCall {
			return writeCall{role: pm, path: "/api/v1/onboarding/imports", body: []byte("园区编码,楼宇编码,楼宇名称\n" + w.Parks[0].Code + "," + uniq("OB") + ",导入楼\n")}
		},
	}
}

// figures is a complete, consistent set of an enterprise's period figures.
func figures() map[string]any {
	return map[string]any{"revenue": "1000000.00", "rd_expense": 120000, "tax": 30000.5, "employees": 40,
		"rd_staff": 12, "invention_patents_granted": 2, "invention_patents_held": 9}
}

// filledTemplate downloads a period's workbook and fills enterprise 0's row to be submitted.
func (e *env) filledTemplate(t *testing.T, periodID string) []byte {
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/periods/"+periodID+"/template", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[identity.ParkManager])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	book, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("填报")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) == 0 || row[0] != e.world.Enterprises[0].CreditCode {
			continue
		}
		for col, v := range map[string]string{"C": "1200.5", "D": "1000", "E": "30", "F": "2.5", "G": "40", "H": "12", "I": "1", "J": "6", "N": "提交"} {
			_ = book.SetCellStr("填报", fmt.Sprintf("%s%d", col, i+1), v)
		}
	}
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pooledPark puts a park into the pool (at the planning tier, from 2024) unless it is in it, and
// returns its id.
func pooledPark(t *testing.T, e *env, parkID string) string {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	svc := pool.NewService(e.store, civil.SystemClock{})
	if _, err := svc.Get(ctx, sys, parkID); err == nil {
		return parkID
	}
	if _, err := svc.Enter(ctx, sys, pool.NewEntry{ParkID: parkID, EnteredOn: civil.Of(2024, 1, 1), Tier: pool.Planning, Reason: "入库"}); err != nil {
		t.Fatal(err)
	}
	return parkID
}

// parkGoal sets a revenue goal for one park (2021: 10 亿 → 2025: 20 亿) and returns its id.
func parkGoal(t *testing.T, e *env, parkID string) string {
	t.Helper()
	g, err := goals.NewService(e.store, storetest.IndicatorsOf(e.store)).Create(context.Background(), identity.System(),
		goals.NewGoal{Name: "产值翻番", Indicator: "revenue", Group: "parks:" + parkID, BaselineYear: 2021, BaselineValue: 10, TargetYear: 2025, TargetValue: 20})
	if err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// evaluated makes a scheme from the featured-park template and runs it for 2025 over every
// park; it returns the scheme's and the run's ids.
func evaluated(t *testing.T, e *env) (string, string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	svc := evaluation.NewService(e.store, storetest.IndicatorsOf(e.store))
	scheme, err := svc.CreateScheme(ctx, sys, evaluation.SchemeInput{Name: evaluation.Templates[0].NameZh, Definition: evaluation.Templates[0].Definition})
	if err != nil {
		t.Fatal(err)
	}
	run, err := svc.Run(ctx, sys, scheme.ID, evaluation.RunRequest{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	return scheme.ID, run.ID
}
