package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/storetest"
)

// TestOpenAPIDocumentValidates: the served document loads and validates with kin-openapi, an
// independent implementation of the specification — no self-referencing schema, no name
// standing for two types, servers and security present.
func TestOpenAPIDocumentValidates(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var doc map[string]any
	e.do("", "GET", "/api/v1/openapi.json", nil, 200, &doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi: the document is invalid: %v", err)
	}
	if len(spec.Servers) == 0 {
		t.Error("no servers entry")
	}
	problem := spec.Components.Schemas["Problem"]
	if problem == nil || problem.Ref != "" || problem.Value == nil || len(problem.Value.Properties) == 0 {
		t.Errorf("the Problem schema is not a plain object: %+v", problem)
	}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security == nil {
				t.Errorf("%s %s: no security requirement (public operations say [])", method, path)
			}
		}
	}
}

// TestEveryGETAnswersAsDocumented calls every GET route of the route table as the
// administrator on a fixture with every kind of record, and validates each answer against the
// document with kin-openapi: an empty list is [] where the document says array, never null.
func TestEveryGETAnswersAsDocumented(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	newForeign(t, e) // records of every kind, in park 1
	mine := newOwn(t, e)
	var doc map[string]any
	e.do("", "GET", "/api/v1/openapi.json", nil, 200, &doc)
	raw, _ := json.Marshal(doc)
	spec, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	park := e.world.Parks[0].ID
	// Records whose answers once broke the document: a lead's stage move and a plain activity
	// (no stages), a submitted report (its confirmed warnings), a period in a list.
	lead := mine.ids["leads"]
	e.do(identity.ParkManager, "POST", "/api/v1/leads/"+lead+"/move", map[string]any{"stage": "contacted"}, 200, nil)
	e.do(identity.ParkManager, "POST", "/api/v1/leads/"+lead+"/activities", map[string]any{"kind": "call", "text": "电话"}, 201, nil)
	var period struct{ ID string }
	e.do(identity.ParkManager, "POST", "/api/v1/periods", map[string]any{"park_id": park, "kind": "quarterly", "year": 2024, "seq": 2,
		"deadline": "2024-07-20"}, 201, &period)
	report := firstID(t, e, "/api/v1/reports?period_id="+period.ID)
	e.do(identity.EntAdmin, "POST", "/api/v1/reports/"+report+"/submit", map[string]any{"figures": map[string]any{"revenue": "100",
		"rd_expense": "1", "tax": "1", "employees": 1, "rd_staff": 1, "invention_patents_granted": 0, "invention_patents_held": 0}}, 200, nil)
	validate := func(role identity.Role, rt route, path string) int {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return res.StatusCode
		}
		item := spec.Paths.Find(rt.Pattern)
		route := &routers.Route{Spec: spec, Path: rt.Pattern, PathItem: item, Method: "GET", Operation: item.Get}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: route},
			Status:                 res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("GET %s as %s: the answer does not match the document: %v", path, role, err)
		}
		return 200
	}
	for _, rt := range e.api.routes {
		if rt.Method != "GET" || rt.Download != "" {
			continue
		}
		seg := segment(rt.Method + " " + rt.Pattern)
		path := strings.Replace(rt.Pattern, "{id}", mine.ids[seg], 1)
		switch seg {
		case "periods":
			path = strings.Replace(rt.Pattern, "{id}", period.ID, 1)
		case "reports":
			path = strings.Replace(rt.Pattern, "{id}", report, 1)
		case "holds":
			path = strings.Replace(rt.Pattern, "{id}", firstID(t, e, "/api/v1/holds"), 1)
		case "indicators":
			path = strings.Replace(rt.Pattern, "{id}", "land_output", 1)
		}
		if strings.Contains(path, "{id}") {
			t.Errorf("%s: no record to ask for", rt.Pattern)
			continue
		}
		if !strings.Contains(path, "?") {
			path += "?park_id=" + park
		}
		// Every role that may read it, twice: the second answer of a session comes from caches.
		for _, role := range []identity.Role{identity.Admin, identity.Authority, identity.ParkManager, identity.EntAdmin} {
			first := validate(role, rt, path)
			validate(role, rt, path)
			if role == identity.Admin && first != 200 {
				t.Errorf("GET %s as admin: %d", path, first)
			}
		}
	}
}

// firstID is the id of the first record a list answers with.
func firstID(t *testing.T, e *env, path string) string {
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	_, body := e.raw(identity.Admin, "GET", path, nil)
	if err := json.Unmarshal([]byte(body), &list); err == nil && len(list.Items) > 0 {
		return list.Items[0].ID
	}
	var items []struct{ ID string }
	if err := json.Unmarshal([]byte(body), &items); err == nil && len(items) > 0 {
		return items[0].ID
	}
	t.Errorf("%s: nothing listed: %s", path, body)
	return "none"
}
