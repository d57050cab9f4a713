package api

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/storetest"
)

// servedSpec loads the document the server serves.
func servedSpec(t *testing.T, e *env) *openapi3.T {
	t.Helper()
	var doc map[string]any
	e.do("", "GET", "/api/v1/openapi.json", nil, 200, &doc)
	raw, _ := json.Marshal(doc)
	spec, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// bodySchema is the JSON request schema of an operation.
func bodySchema(spec *openapi3.T, method, pattern string) *openapi3.Schema {
	op := spec.Paths.Find(pattern).GetOperation(method)
	if op == nil || op.RequestBody == nil {
		return nil
	}
	return op.RequestBody.Value.Content.Get("application/json").Schema.Value
}

// TestRequiredInputsAreRefusedWhenMissing: an empty body to a route is refused naming only
// fields the document lists as required (so nothing the server insists on is undocumented);
// for creating routes, exactly those. That each documented field is refused when left out of
// an otherwise valid body, TestRequestsTheDocumentRefusesAreRefused checks.
func TestRequiredInputsAreRefusedWhenMissing(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	mine := newOwn(t, e)
	spec := servedSpec(t, e)
	// Records in the states their routes act on: a signed contract, a lead holding a unit (which
	// its conversion leases when the request names none), a report to file or return.
	ids := maps.Clone(mine.ids)
	e.do(identity.Admin, "POST", "/api/v1/contracts/"+ids["contracts"]+"/activate", nil, 200, nil)
	e.do(identity.Admin, "POST", "/api/v1/holds", mine.bodies["POST /api/v1/holds"], 201, nil)
	var period struct{ ID string }
	e.do(identity.ParkManager, "POST", "/api/v1/periods", mine.bodies["POST /api/v1/periods"], 201, &period)
	ids["reports"] = firstID(t, e, "/api/v1/reports?period_id="+period.ID)
	for _, rt := range e.api.routes {
		// The password change checks the current password before anything else.
		// An empty feed request asks for the caller's own bookings, an empty registration registers
		// the caller: nothing is required.
		if rt.Method != "POST" || rt.Body == nil || rt.Pattern == "/api/v1/me/password" || rt.Pattern == "/api/v1/calendar-feeds" ||
			rt.Pattern == "/api/v1/events/{id}/registrations" {
			continue
		}
		path := strings.Replace(rt.Pattern, "{id}", ids[segment("POST "+rt.Pattern)], 1)
		if rt.Pattern == "/api/v1/reports/{id}/return" {
			e.do(identity.EntAdmin, "POST", "/api/v1/reports/"+ids["reports"]+"/submit", map[string]any{"figures": map[string]any{
				"revenue": "100", "rd_expense": "1", "tax": "1", "employees": 1, "rd_staff": 1, "invention_patents_granted": 0,
				"invention_patents_held": 0}}, 200, nil)
		}
		role := identity.Admin
		if strings.HasSuffix(rt.Pattern, "/submit") || rt.Pattern == "/api/v1/bookings" || rt.Pattern == "/api/v1/service-requests/{id}/rating" ||
			rt.Pattern == "/api/v1/policy-applications" {
			role = identity.EntAdmin
		}
		code, body := e.raw(role, "POST", path, "{}")
		var p struct{ Errors []struct{ Field string } }
		_ = json.Unmarshal([]byte(body), &p)
		schema := bodySchema(spec, "POST", rt.Pattern)
		named := map[string]bool{}
		for _, fe := range p.Errors {
			// Errors inside a field (a report's figures) are named by their own path.
			if top, _, _ := strings.Cut(fe.Field, "."); schema.Properties[top] != nil {
				named[top] = true
			}
		}
		documented := schema.Required
		got := slices.Sorted(maps.Keys(named))
		slices.Sort(documented)
		if code != 422 {
			t.Errorf("POST %s {}: %d %s", rt.Pattern, code, body)
			continue
		}
		for _, f := range got {
			if !slices.Contains(documented, f) {
				t.Errorf("POST %s {}: refused for %s, which the document does not require (it requires %v)", rt.Pattern, f, documented)
			}
		}
		if creates(rt) && rt.Pattern != "/api/v1/units/merge" && !slices.Equal(got, documented) {
			// (A merge stops at its units before it looks at the day.)
			t.Errorf("POST %s {}: refused naming %v; the document requires %v", rt.Pattern, got, documented)
		}
	}
}

// TestRequestsTheDocumentRefusesAreRefused: for every JSON body of the route table, a valid
// body with one field made invalid by the document (wrong type, value outside its enum, a
// decimal or date that does not match its format, a field the schema does not have, a
// required field left out) is one the document rejects, and the server refuses it with 400
// or 422 naming the field, writing nothing.
func TestRequestsTheDocumentRefusesAreRefused(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	mine := newOwn(t, e)
	spec := servedSpec(t, e)
	before := e.latestAudit(t)
	tried := 0
	for _, rt := range e.api.routes {
		if rt.Body == nil {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		valid, ok := mine.bodies[key]
		if !ok {
			continue
		}
		schema := bodySchema(spec, rt.Method, rt.Pattern)
		path := strings.Replace(rt.Pattern, "{id}", mine.ids[segment(key)], 1)
		valid = documentedForm(schema, valid)
		if err := schema.VisitJSON(roundTrip(valid)); err != nil {
			t.Errorf("%s: the document refuses the valid body %s: %v", key, jsonString(valid), err)
			continue
		}
		for name, bad := range invalidVariants(schema, valid) {
			if schema.VisitJSON(roundTrip(bad)) == nil {
				t.Errorf("%s %s: the document accepts %s", key, name, jsonString(bad))
				continue
			}
			tried++
			role := identity.Admin
			if key == "POST /api/v1/policy-applications" {
				role = identity.EntAdmin // only an enterprise applies
			}
			code, answer := e.raw(role, rt.Method, path, bad)
			if code != 400 && code != 422 {
				t.Errorf("%s %s: %d %s", key, name, code, answer)
				continue
			}
			field, _, _ := strings.Cut(name, " ")
			if code == 422 && field != "" && !strings.Contains(answer, `"field":"`+field) {
				t.Errorf("%s %s: the refusal does not name %s: %s", key, name, field, answer)
			}
		}
	}
	t.Logf("%d invalid bodies, each refused", tried)
	if tried < 100 {
		t.Errorf("only %d invalid bodies tried", tried)
	}
	if after := e.latestAudit(t); after != before {
		t.Errorf("a refused request wrote audit entry %s", after)
	}
}

// roundTrip is a body as the server reads it: JSON numbers as float64.
func roundTrip(body map[string]any) any {
	var v any
	_ = json.Unmarshal([]byte(jsonString(body)), &v)
	return v
}

// documentedForm writes a body's decimals as the document gives them, strings: the fixture
// bodies use JSON numbers, which the server also reads.
func documentedForm(schema *openapi3.Schema, body map[string]any) map[string]any {
	out := maps.Clone(body)
	for field, v := range body {
		if p := schema.Properties[field]; p != nil && p.Value.Format == "decimal" {
			if n, isNumber := v.(int); isNumber {
				out[field] = fmt.Sprint(n)
			}
		}
	}
	return out
}

// invalidVariants makes bodies the schema forbids from a valid one, each named by the field
// it breaks and how.
func invalidVariants(schema *openapi3.Schema, valid map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	with := func(field string, value any) map[string]any {
		b := maps.Clone(valid)
		b[field] = value
		return b
	}
	out["zz_unknown unknown field"] = with("zz_unknown", 1)
	for _, req := range schema.Required {
		if _, given := valid[req]; given {
			b := maps.Clone(valid)
			delete(b, req)
			out[req+" left out"] = b
		}
	}
	for field, ref := range schema.Properties {
		p := ref.Value
		switch {
		case p.Type.Includes("array"):
			out[field+" not an array"] = with(field, "x")
		case p.Type.Includes("object"):
			out[field+" not an object"] = with(field, "x")
		case p.Type.Includes("boolean"):
			out[field+" not a boolean"] = with(field, "yes")
		case p.Type.Includes("integer"):
			out[field+" not an integer"] = with(field, "x")
			out[field+" a fraction"] = with(field, 1.5)
		case p.Type.Includes("string"):
			out[field+" not a string"] = with(field, []int{1})
			switch {
			case len(p.Enum) > 0:
				out[field+" outside its enum"] = with(field, "no_such_value")
			case p.Format == "decimal":
				out[field+" too many decimals"] = with(field, "1.23456")
				out[field+" not a decimal"] = with(field, "1e5")
			case p.Format == "date":
				out[field+" not a date"] = with(field, "2024-02-30x")
			}
		}
	}
	return out
}

// latestAudit is the newest audit entry's id: every write leaves one.
func (e *env) latestAudit(t *testing.T) string {
	trail, err := e.store.ListAudit(context.Background(), identity.System(), audit.Filter{}, page.Request{Limit: 1})
	if err != nil || len(trail.Items) == 0 {
		t.Fatalf("reading the audit trail: %v", err)
	}
	return trail.Items[0].ID
}

// TestErrorStatusesAreDocumented: each error status the server answers is listed on the
// operation that answered it, with the problem schema.
func TestErrorStatusesAreDocumented(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	spec := servedSpec(t, e)
	// The draft is activated once here, so activating it again is a conflict.
	active := newOwn(t, e).ids["contracts"]
	if code, body := e.raw(identity.Admin, "POST", "/api/v1/contracts/"+active+"/activate", nil); code != 200 {
		t.Fatalf("activating the draft: %d %s", code, body)
	}
	huge := `{"company":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		role            identity.Role
		method, pattern string
		path            string
		body            any
		want            int
	}{
		{"", "GET", "/api/v1/units", "/api/v1/units", nil, 401},
		{identity.EntMember, "POST", "/api/v1/parks", "/api/v1/parks", map[string]any{"code": "P9", "name_zh": "园"}, 403},
		{identity.Admin, "GET", "/api/v1/units/{id}", "/api/v1/units/no-such-unit", nil, 404},
		{identity.Admin, "POST", "/api/v1/leads", "/api/v1/leads", "{not json", 400},
		{identity.Admin, "POST", "/api/v1/leads", "/api/v1/leads", huge, 413},
		{identity.Admin, "POST", "/api/v1/leads", "/api/v1/leads", "{}", 422},
		{identity.Admin, "GET", "/api/v1/units", "/api/v1/units?limit=x", nil, 422},
		{identity.Admin, "POST", "/api/v1/contracts/{id}/activate", "/api/v1/contracts/" + active + "/activate", nil, 409},
		{"", "POST", "/api/v1/session", "/api/v1/session", map[string]any{"username": "u_admin", "password": "wrong-password"}, 401},
		{identity.ParkManager, "GET", "/api/v1/occupancy", "/api/v1/occupancy?park_id=" + e.world.Parks[1].ID, nil, 404},
	}
	for _, c := range cases {
		code, body := e.raw(c.role, c.method, c.path, c.body)
		if code != c.want {
			t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, code, c.want, body)
			continue
		}
		op := spec.Paths.Find(c.pattern).GetOperation(c.method)
		res := op.Responses.Status(code)
		if res == nil || res.Value.Content.Get("application/problem+json") == nil {
			t.Errorf("%s %s answers %d, which the document does not list", c.method, c.pattern, code)
		}
	}
}
