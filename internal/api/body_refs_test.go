package api

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/storetest"
)

// bodyRef is an id a request body names: its JSON path ("units[].unit_id") and the kind of
// object it names.
type bodyRef struct {
	path string
	kind string
}

// refKinds maps the JSON names of id fields to the kind of object they name. Chain nodes are
// shared reference data, not scoped, and are not listed.
var refKinds = map[string]string{
	"park_id": "parks", "park_ids": "parks", "zone_id": "zones", "building_id": "buildings", "floor_id": "floors",
	"unit_id": "units", "unit_ids": "units", "neighbour_ids": "units", "add": "units", "remove": "units",
	"enterprise_id": "enterprises", "enterprise_ids": "enterprises", "lead_id": "leads", "renewal_of": "contracts",
	"contract_id": "contracts", "owner_id": "users", "invited_enterprise_ids": "enterprises", "resource_id": "resources",
}

// bodyRefs walks an input type and lists every id it names, nested ones included.
func bodyRefs(t reflect.Type, prefix string) []bodyRef {
	return bodyRefsIn(t, prefix, map[reflect.Type]bool{})
}

// bodyRefsIn walks t once on each path: a type that holds itself (a condition's sub-conditions)
// stops where it recurs.
func bodyRefsIn(t reflect.Type, prefix string, seen map[reflect.Type]bool) []bodyRef {
	var out []bodyRef
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix = strings.TrimSuffix(prefix, ".") + "[]."
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() == "github.com/parkos/parkos/internal/civil" || seen[t] {
		return nil
	}
	seen[t] = true
	defer delete(seen, t)
	for _, f := range reflect.VisibleFields(t) {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || tag == "-" || f.Anonymous && tag == "" || len(f.Index) > 1 && !embeddedVisible(t, f) {
			continue
		}
		if kind, ok := refKinds[tag]; ok {
			out = append(out, bodyRef{path: prefix + tag, kind: kind})
			continue
		}
		out = append(out, bodyRefsIn(f.Type, prefix+tag+".", seen)...)
	}
	return out
}

// embeddedVisible: a promoted field counts when the struct embedding it has no JSON name.
func embeddedVisible(t reflect.Type, f reflect.StructField) bool {
	outer := t.Field(f.Index[0])
	tag, _, _ := strings.Cut(outer.Tag.Get("json"), ",")
	return outer.Anonymous && tag == ""
}

// withRef returns body with the reference at path set to id; lists get a one-element list.
func withRef(body map[string]any, path, id string) map[string]any {
	out := map[string]any{}
	raw, _ := json.Marshal(body)
	_ = json.Unmarshal(raw, &out)
	head, rest, nested := strings.Cut(path, ".")
	switch {
	case nested:
		name := strings.TrimSuffix(head, "[]")
		if strings.HasSuffix(head, "[]") {
			items, _ := out[name].([]any)
			if len(items) == 0 {
				items = []any{map[string]any{}}
			}
			first, _ := items[0].(map[string]any)
			if first == nil {
				first = map[string]any{}
			}
			items[0] = withRef(first, rest, id)
			out[name] = items
		} else {
			inner, _ := out[name].(map[string]any)
			if inner == nil {
				inner = map[string]any{}
			}
			out[name] = withRef(inner, rest, id)
		}
	case strings.HasSuffix(head, "_ids") || head == "add" || head == "remove":
		out[head] = []string{id}
	default:
		out[head] = id
	}
	return out
}

// refFieldName is the field a refusal of the reference at path names: "units[].unit_id" is
// reported as "units[0].unit_id", "unit_ids" as "unit_ids" or "unit_ids[0]".
func refFieldName(path string) string {
	return strings.ReplaceAll(path, "[]", "[0]")
}

// TestBodyReferencesAreScoped: generated from the route table's input types, every id a
// create or change names is sent pointing at another park's or enterprise's object, by staff
// of park 0 who may otherwise make that request. Each must answer 422 naming the field with
// code not_found, and nothing may change.
func TestBodyReferencesAreScoped(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		f := newForeign(t, e)
		mine := newOwn(t, e)
		before := e.auditCount(t)
		for _, rt := range e.api.routes {
			if rt.Body == nil {
				continue
			}
			pattern := rt.Method + " " + rt.Pattern
			refs := bodyRefs(reflect.TypeOf(rt.Body), "")
			if len(refs) == 0 {
				continue
			}
			base, ok := mine.bodies[pattern]
			if !ok {
				t.Errorf("%s names ids %v but has no valid body of park 0 here; add one so its references are tested", pattern, refs)
				continue
			}
			path := strings.Replace(rt.Pattern, "{id}", mine.ids[segment(pattern)], 1)
			for _, ref := range refs {
				role, foreignID := mine.role(pattern), f.ids[ref.kind]
				if role == identity.Admin {
					foreignID = "01a00000-0000-7000-8000-000000000000" // every park is the administrator's: name none
				}
				b := base
				if special, ok := mine.bodies[pattern+" "+ref.path]; ok {
					b = special
				}
				body := withRef(b, ref.path, foreignID)
				status, answer := e.raw(role, rt.Method, path, body)
				var p httpx.Problem
				_ = json.Unmarshal([]byte(answer), &p)
				want := refFieldName(ref.path)
				named := false
				for _, fe := range p.Errors {
					if (fe.Field == want || strings.HasPrefix(fe.Field, want+".") || strings.HasPrefix(fe.Field, want+"[") ||
						strings.HasPrefix(fe.Field, strings.TrimSuffix(want, "[0]"))) && fe.Code == refusal(ref.path) {
						named = true
					}
				}
				if status != 422 || !named {
					t.Errorf("%s with %s of another park: %d %s, want 422 naming %s with code not_found", pattern, ref.path, status, answer, want)
				}
			}
		}
		if after := e.auditCount(t); after != before {
			t.Errorf("refused references changed data: %d audit entries before, %d after", before, after)
		}
	})
}

// refusal is the code a reference out of scope is refused with: not_found, except a unit an
// amendment removes, which is checked against the contract's own units.
func refusal(path string) string {
	if path == "remove" {
		return "not_in_contract"
	}
	return "not_found"
}

// own is park 0's objects and, per route, a body park 0's staff may send.
type own struct {
	ids    map[string]string
	bodies map[string]map[string]any
}

// role is who sends a route's body: park 0's manager, who may do all of these in park 0, and
// for accounts the administrator, the only role that manages them.
func (o own) role(pattern string) identity.Role {
	if strings.Contains(pattern, "/users") || strings.Contains(pattern, "/pool") {
		return identity.Admin // the only ones who may, with the authority, which also sees every park
	}
	if pattern == "POST /api/v1/service-requests" || pattern == "POST /api/v1/policy-applications" || pattern == "POST /api/v1/bookings" {
		return identity.EntAdmin // an enterprise asks its park
	}
	return identity.ParkManager
}

func newOwn(t *testing.T, e *env) own {
	ctx, sys := context.Background(), identity.System()
	w := e.world
	zone, err := storetest.SpaceOf(e.store).CreateZone(ctx, sys, space.Zone{ParkID: w.Parks[0].ID, Code: "Z0", NameZh: "本园功能区"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.store.ListResidencies(ctx, sys, enterprise.ResidencyFilter{EnterpriseID: w.Enterprises[0].ID}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	quals, err := e.store.ListQualifications(ctx, sys, enterprise.QualificationFilter{EnterpriseID: w.Enterprises[0].ID}, page.Request{})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := storetest.ContractsOf(e.store).Create(ctx, sys, leasing.Contract{Number: "HT-DRAFT", EnterpriseID: w.Enterprises[0].ID,
		StartOn: civil.Of(2031, 1, 1), EndOn: civil.Of(2031, 12, 31), Price: 50000,
		Units: []leasing.ContractUnit{{UnitID: w.Units[0][1].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	lead, err := storetest.ContractsOf(e.store).CreateLead(ctx, sys, leasing.Lead{ParkID: w.Parks[0].ID, Company: "我们的线索"})
	if err != nil {
		t.Fatal(err)
	}
	staff := w.Users[identity.Leasing]
	today := civil.SystemClock{}.Today()
	contract := map[string]any{"number": "HT-NEW", "enterprise_id": w.Enterprises[0].ID, "start_on": "2032-01-01",
		"end_on": "2032-12-31", "price": 5, "units": []map[string]any{{"unit_id": w.Units[0][2].ID}}}
	o := own{ids: map[string]string{"parks": w.Parks[0].ID, "zones": zone.ID, "buildings": w.Buildings[0].ID,
		"floors": w.Floors[0].ID, "units": w.Units[0][2].ID, "enterprises": w.Enterprises[0].ID, "residencies": res.Items[0].ID,
		"qualifications": quals.Items[0].ID, "users": staff.ID, "leads": lead.ID},
		bodies: map[string]map[string]any{
			"POST /api/v1/users": {"username": "our_new_staff", "role": "leasing", "park_ids": []string{w.Parks[0].ID},
				"password": "long-enough-1"},
			"PATCH /api/v1/users/{id}":               {},
			"POST /api/v1/users enterprise_id":       {"username": "our_tenant", "role": "ent_member", "password": "long-enough-1"},
			"PATCH /api/v1/users/{id} enterprise_id": {"role": "ent_member", "park_ids": []string{}},
			"POST /api/v1/parks":                     {"code": "PNEW", "name_zh": "新园区"},
			"PATCH /api/v1/parks/{id}":               {},
			"POST /api/v1/zones":                     {"park_id": w.Parks[0].ID, "code": "ZN", "name_zh": "新功能区"},
			"PATCH /api/v1/zones/{id}":               {},
			"POST /api/v1/buildings":                 {"park_id": w.Parks[0].ID, "code": "B", "name": "B座"},
			"PATCH /api/v1/buildings/{id}":           {},
			"POST /api/v1/floors":                    {"building_id": w.Buildings[0].ID, "level": 4},
			"PATCH /api/v1/floors/{id}":              {},
			"POST /api/v1/units":                     {"floor_id": w.Floors[0].ID, "code": "A-3-399", "kind": "lab", "gross_area": 10, "leasable": true},
			"PATCH /api/v1/units/{id}":               {},
			"POST /api/v1/units/merge":               {"unit_ids": []string{w.Units[0][1].ID, w.Units[0][2].ID}, "effective_on": "2040-01-01", "code": "A-3-3M"},
			"POST /api/v1/enterprises":               {"park_id": w.Parks[0].ID, "name": "本园新企业"},
			"PATCH /api/v1/enterprises/{id}":         {},
			"POST /api/v1/residencies":               {"enterprise_id": w.Enterprises[0].ID, "park_id": w.Parks[0].ID, "move_in": "2030-01-01"},
			"PATCH /api/v1/residencies/{id}":         {},
			"POST /api/v1/qualifications":            {"enterprise_id": w.Enterprises[0].ID, "kind": "gazelle"},
			"PATCH /api/v1/qualifications/{id}":      {},
			"POST /api/v1/contracts":                 contract,
			"PATCH /api/v1/contracts/{id}":           {},
			"POST /api/v1/contracts/{id}/amendments": {"effective_on": "2031-06-01"},
			"POST /api/v1/targets":                   {"park_id": w.Parks[0].ID, "metric": "occupancy", "basis_points": 5000, "by_date": "2030-01-01"},
			"POST /api/v1/pool":                      {"park_id": w.Parks[0].ID, "entered_on": "2024-01-01", "tier": "reserve", "reason": "入库"},
			"POST /api/v1/leads":                     {"park_id": w.Parks[0].ID, "company": "新线索"},
			"PATCH /api/v1/leads/{id}":               {},
			"POST /api/v1/leads/{id}/convert":        {"number": "C-1", "start_on": "2033-01-01", "end_on": "2033-12-31"},
			"POST /api/v1/holds":                     {"lead_id": lead.ID, "unit_id": w.Units[0][2].ID, "until": today.AddDays(10).String()},
			"POST /api/v1/periods":                   {"park_id": w.Parks[0].ID, "kind": "quarterly", "year": 2030, "seq": 1, "deadline": "2030-04-20"},
		}}
	o.ids["contracts"] = draft.ID
	o.ids["pool"] = pooledPark(t, e, w.Parks[0].ID)
	o.ids["goals"] = parkGoal(t, e, w.Parks[0].ID)
	o.ids["evaluation-schemes"], o.ids["evaluation-runs"] = evaluated(t, e)
	o.ids["resources"], o.ids["bookings"] = facility(t, e, 0, w.Users[identity.EntAdmin].Username, 9)
	o.bodies["POST /api/v1/resources"] = resourceBody(w.Parks[0].ID, "MR-NEW")
	o.bodies["POST /api/v1/certificates"] = map[string]any{"park_id": w.Parks[0].ID, "username": w.Users[identity.EntAdmin].Username,
		"kind": "p2", "issued_on": "2025-01-01", "expires_on": "2030-01-01"}
	o.bodies["POST /api/v1/calendar-feeds"] = map[string]any{"resource_id": o.ids["resources"]}
	o.bodies["POST /api/v1/parks/{id}/holidays"] = map[string]any{"day": "2030-10-01", "name": "国庆节"}
	o.bodies["POST /api/v1/bookings/{id}/decision"] = map[string]any{"action": "check_in"}
	o.ids["service-requests"], _, _ = serviceTicket(t, e, 0, w.Users[identity.EntAdmin].Username)
	o.ids["bills"], o.ids["payments"], _ = billed(t, e, 0)
	o.ids["policies"], o.ids["policy-applications"], o.ids["policy-documents"] = policyApplication(t, e, 0)
	ownPolicy := policyBody("园区租金补贴")
	ownPolicy["owner_park_id"], ownPolicy["scope"] = w.Parks[0].ID, map[string]any{"kind": "parks", "park_ids": []string{w.Parks[0].ID}}
	o.bodies["POST /api/v1/policies"], o.bodies["PUT /api/v1/policies/{id}"] = ownPolicy, ownPolicy
	o.bodies["POST /api/v1/policy-applications"] = map[string]any{"policy_id": o.ids["policies"]}
	var ownHall string
	o.ids["events"], o.ids["event-registrations"], ownHall = registered(t, e, 0)
	o.bodies["POST /api/v1/events"] = eventBody(w.Parks[0].ID, ownHall)
	o.bodies["POST /api/v1/bookings"] = map[string]any{"resource_id": o.ids["resources"], "start": tomorrowAt(15), "end": tomorrowAt(16)}
	o.bodies["POST /api/v1/billing-runs"] = map[string]any{"park_id": w.Parks[0].ID, "billing_date": "2025-03-10"}
	o.bodies["POST /api/v1/payments"] = map[string]any{"park_id": w.Parks[0].ID, "enterprise_id": w.Enterprises[0].ID, "paid_on": "2025-03-01",
		"amount": "1.00", "method": "bank", "as_credit": true}
	o.bodies["POST /api/v1/service-providers"] = map[string]any{"park_id": w.Parks[0].ID, "name": "物业工程部", "kind": "third_party"}
	o.bodies["POST /api/v1/service-categories"] = map[string]any{"park_id": w.Parks[0].ID, "code": "lab_gas", "name_zh": "实验室气体",
		"name_en": "Lab gases", "platform": "property", "response_hours": 2, "resolution_hours": 8}
	o.bodies["POST /api/v1/service-requests"] = map[string]any{"park_id": w.Parks[0].ID, "category_id": "svc-repair", "unit_id": w.Units[0][1].ID,
		"title": "门禁故障", "body": "门禁无法刷卡"}
	o.bodies["POST /api/v1/service-demands"] = map[string]any{"park_id": w.Parks[0].ID, "category_id": "dem-permit", "title": "施工许可", "body": "请协调"}
	return o
}

// TestInputsHoldOnlyCallerFields: no request body of the route table (and so of the OpenAPI
// document) offers a field only the server sets.
func TestInputsHoldOnlyCallerFields(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	serverOwned := map[string]bool{"id": true, "created_at": true, "updated_at": true, "renewed_by": true,
		"last_activity_at": true, "stale": true, "contract_id": true, "closed": true}
	seen := map[reflect.Type]bool{} // the types on the path walked: a type that holds itself is walked once
	var walk func(t reflect.Type, path string) []string
	walk = func(t reflect.Type, path string) []string {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() == "github.com/parkos/parkos/internal/civil" || seen[t] {
			return nil
		}
		seen[t] = true
		defer delete(seen, t)
		var bad []string
		for _, f := range reflect.VisibleFields(t) {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || tag == "-" || f.Anonymous && tag == "" || len(f.Index) > 1 && !embeddedVisible(t, f) {
				continue
			}
			if serverOwned[tag] {
				bad = append(bad, path+tag)
			}
			bad = append(bad, walk(f.Type, path+tag+".")...)
		}
		return bad
	}
	for _, rt := range e.api.routes {
		if rt.Body == nil {
			continue
		}
		if bad := walk(reflect.TypeOf(rt.Body), ""); len(bad) > 0 {
			t.Errorf("%s %s: the body %T offers server-owned %v", rt.Method, rt.Pattern, rt.Body, bad)
		}
	}
}
