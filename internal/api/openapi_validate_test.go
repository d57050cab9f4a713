package api

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

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
