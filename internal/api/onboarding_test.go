package api

import (
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/onboardbook"
	"github.com/parkos/parkos/internal/space"
)

// The onboarding export, edited in a spreadsheet, goes back through the API: a dry run
// previews, a commit applies, the same file again changes nothing, and a bad cell is named by
// sheet, column and row with nothing written.
func TestOnboardingExportAndImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		res := e.do(identity.ParkManager, "GET", "/api/v1/onboarding/export?format=csv&entity=units", nil, 200, nil)
		if ct := res.Header.Get("Content-Type"); ct != csvType {
			t.Fatalf("content type %q", ct)
		}
		_, body := e.raw(identity.ParkManager, "GET", "/api/v1/onboarding/export?format=csv&entity=units", nil)
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if len(lines) != 4 || strings.Contains(body, w.Parks[1].Code+",") {
			t.Fatalf("the operator's units CSV:\n%s", body)
		}
		if !strings.HasPrefix(lines[1], w.Parks[0].Code+",A,3,A-3-301,") {
			t.Fatalf("first unit line %q", lines[1])
		}
		edited := strings.Replace(body, "A-3-302,办公,200,", "A-3-302,实验室,200,", 1)

		var out onboardbook.Result
		e.do(identity.ParkManager, "POST", "/api/v1/onboarding/imports?dry_run=true", edited, 200, &out)
		if out.Committed || out.Counts["units"].Changed != 1 || out.Counts["units"].Unchanged != 2 || len(out.Problems) != 0 {
			t.Fatalf("dry run: %+v", out)
		}
		var u space.Unit
		e.do(identity.ParkManager, "GET", "/api/v1/units/"+w.Units[0][1].ID, nil, 200, &u)
		if u.Kind != space.KindOffice {
			t.Fatalf("a dry run changed the unit to %s", u.Kind)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/onboarding/imports", edited, 200, &out)
		e.do(identity.ParkManager, "GET", "/api/v1/units/"+w.Units[0][1].ID, nil, 200, &u)
		if !out.Committed || u.Kind != space.KindLab {
			t.Fatalf("import: %+v, unit kind %s", out, u.Kind)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/onboarding/imports", edited, 200, &out)
		if c := out.Counts["units"]; c.Changed+c.Created != 0 || c.Unchanged != 3 {
			t.Fatalf("the same file again: %+v", c)
		}

		bad := strings.Replace(edited, "A-3-303,办公,", "A-3-303,宿舍,", 1)
		p := e.problem(identity.ParkManager, "POST", "/api/v1/onboarding/imports", bad, 422)
		if len(p.Errors) != 1 || !hasField(p, "CSV!E4") || !strings.Contains(p.Errors[0].MessageZh, "单元类型") {
			t.Fatalf("bad kind: %+v", p.Errors)
		}
		p = e.problem(identity.ParkManager, "GET", "/api/v1/onboarding/export?format=pdf", nil, 422)
		if !hasField(p, "format") {
			t.Fatalf("format: %+v", p)
		}
		p = e.problem(identity.ParkManager, "GET", "/api/v1/onboarding/export?format=csv", nil, 422)
		if !hasField(p, "entity") {
			t.Fatalf("entity: %+v", p)
		}
		p = e.problem(identity.ParkManager, "POST", "/api/v1/onboarding/imports?entity=rooms", edited, 422)
		if !hasField(p, "entity") {
			t.Fatalf("unknown entity: %+v", p)
		}
		p = e.problem(identity.ParkManager, "POST", "/api/v1/onboarding/imports", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 422)
		if !strings.Contains(p.Detail, "xlsx") {
			t.Fatalf("not a workbook: %+v", p)
		}
		e.problem(identity.EntAdmin, "GET", "/api/v1/onboarding/export", nil, 403)

		res = e.do(identity.ParkManager, "GET", "/api/v1/onboarding/template", nil, 200, nil)
		if ct := res.Header.Get("Content-Type"); ct != xlsxType {
			t.Fatalf("template content type %q", ct)
		}
	})
}
