package api

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/evaluation"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
)

// TestEvaluationRunsThroughTheReports: a scheme run over two parks' approved 2025 figures,
// checked by hand. X: 10 亿 on 0.5 km² = 20 亿元/km² (benchmark 20 → 100), R&D 10 % passes the
// 5 % gate → 100, 重点打造. Y: 5 亿 on 1 km² = 5 (→ 25), R&D 2 % fails the gate → no
// recommendation, ranked after X whatever its score. The run freezes the scheme (a revision is
// version 2), and exports as a workbook.
func TestEvaluationRunsThroughTheReports(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx, sys := context.Background(), identity.System()
		var parks []space.Park
		for i, spec := range []struct {
			code      string
			land      int64
			rev, rdPc int64
		}{{"EVX", 500_000_00, 10, 10}, {"EVY", 1_000_000_00, 5, 2}} {
			p, err := storetest.SpaceOf(e.store).CreatePark(ctx, sys, space.Park{Code: spec.code, NameZh: "评价园区" + spec.code, Status: space.ParkOperating, LandArea: 0})
			if err != nil {
				t.Fatal(err)
			}
			e.do(identity.Admin, "PATCH", "/api/v1/parks/"+p.ID, map[string]any{"land_area": float64(spec.land) / 100}, 200, &p)
			ent, err := storetest.EnterpriseOf(e.store).CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: p.ID, Name: "评价企业" + spec.code,
				CreditCode: storetest.CreditCode(950 + i)})
			if err != nil {
				t.Fatal(err)
			}
			rev := yi(float64(spec.rev))
			fileYear(t, e, p, stats.Annual, 2025, []enterprise.Enterprise{ent}, func(int, int) stats.Figures {
				return stats.Figures{"revenue": rev, "rd_expense": rev * spec.rdPc / 100, "tax": 1, "employees": 10, "rd_staff": 1,
					"invention_patents_granted": 0, "invention_patents_held": 0}
			}, nil)
			parks = append(parks, p)
		}
		def := map[string]any{
			"dimensions": []map[string]any{{"code": "A", "name_zh": "集约", "weight": 100, "indicators": []map[string]any{
				{"indicator": "land_output", "weight": 1, "norm": map[string]any{"kind": "benchmark", "benchmark": 20}}}}},
			"gates": []map[string]any{{"indicator": "rd_intensity", "op": ">=", "threshold": 5}},
			"tiers": []map[string]any{{"lower": 80, "tier": "key"}, {"lower": 0, "tier": "planning"}},
		}
		var scheme evaluation.Scheme
		e.do(identity.Authority, "POST", "/api/v1/evaluation-schemes", map[string]any{"name": "集约评价", "definition": def}, 201, &scheme)
		var run evaluation.Run
		e.do(identity.Authority, "POST", "/api/v1/evaluation-schemes/"+scheme.ID+"/runs",
			map[string]any{"year": 2025, "group": "parks:" + parks[1].ID + "," + parks[0].ID}, 201, &run)
		if len(run.Scores) != 2 {
			t.Fatalf("scores: %+v", run.Scores)
		}
		x, y := run.Scores[0], run.Scores[1]
		if x.ParkCode != "EVX" || x.Rank != 1 || math.Abs(x.Total-100) > 1e-9 || x.Tier != "key" || !x.Qualified {
			t.Errorf("X: %+v", x.Score)
		}
		if y.ParkCode != "EVY" || y.Rank != 2 || math.Abs(y.Total-25) > 1e-9 || y.Qualified || y.Tier != "" || y.TierNoteZh != "未达门槛，不予推荐" {
			t.Errorf("Y: %+v", y.Score)
		}
		if item := x.Dimensions[0].Items[0]; math.Abs(item.Value-20) > 1e-9 || item.Score != 100 || math.Abs(item.Contribution-100) > 1e-9 {
			t.Errorf("X's explanation: %+v", item)
		}

		e.do(identity.Authority, "GET", "/api/v1/evaluation-schemes/"+scheme.ID, nil, 200, &scheme)
		if !scheme.Frozen {
			t.Error("a scheme that has run is frozen")
		}
		var v2 evaluation.Scheme
		e.do(identity.Authority, "POST", "/api/v1/evaluation-schemes/"+scheme.ID+"/revisions", map[string]any{"definition": def}, 200, &v2)
		if v2.ID == scheme.ID || v2.Version != 2 || v2.Frozen {
			t.Errorf("revising a frozen scheme makes version 2: %+v", v2)
		}
		var runs []evaluation.Run
		e.do(identity.Authority, "GET", "/api/v1/evaluation-schemes/"+v2.ID+"/runs", nil, 200, &runs)
		if len(runs) != 1 || runs[0].ID != run.ID || runs[0].SchemeVersion != 1 {
			t.Errorf("runs of the scheme: %+v", runs)
		}

		data := e.download(t, "/api/v1/evaluation-runs/"+run.ID+"/export")
		book, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows(book.GetSheetName(0))
		joined := ""
		for _, r := range rows {
			joined += strings.Join(r, "|") + "\n"
		}
		for _, want := range []string{"评价园区EVX", "重点打造", "未达门槛，不予推荐", "门槛 rd_intensity >= 5"} {
			if !strings.Contains(joined, want) {
				t.Errorf("the workbook lacks %q:\n%s", want, joined)
			}
		}

		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "x", "definition": map[string]any{"dimensions": []map[string]any{{"code": "A", "weight": 90, "indicators": []map[string]any{
				{"indicator": "revenue", "weight": 1, "norm": map[string]any{"kind": "min_max"}}}}}}}, "definition.dimensions"},
			{map[string]any{"name": "x", "definition": map[string]any{"dimensions": def["dimensions"], "gates": []map[string]any{{"indicator": "nope", "op": ">=", "threshold": 1}}}},
				"definition.gates[0].indicator"},
			{map[string]any{"name": "", "definition": def}, "name"},
		} {
			if p := e.problem(identity.Authority, "POST", "/api/v1/evaluation-schemes", bad.body, 422); !hasField(p, bad.field) {
				t.Errorf("%v: %+v, want %s named", bad.body, p.Errors, bad.field)
			}
		}
		wide := []map[string]any{}
		for range 300 {
			wide = append(wide, map[string]any{"indicator": "revenue", "weight": 1, "norm": map[string]any{"kind": "min_max"}})
		}
		if p := e.problem(identity.Authority, "POST", "/api/v1/evaluation-schemes", map[string]any{"name": "宽", "definition": map[string]any{
			"dimensions": []map[string]any{{"code": "A", "weight": 100, "indicators": wide}}}}, 422); !hasField(p, "definition.dimensions") {
			t.Errorf("a scheme of 300 indicators (its export would pass Excel's column limit): %+v", p.Errors)
		}
		if p := e.problem(identity.Authority, "POST", "/api/v1/evaluation-schemes/"+v2.ID+"/runs", map[string]any{"year": 2025, "group": "parks:nope"}, 422); !hasField(p, "group") {
			t.Errorf("a run over an unknown park: %+v", p.Errors)
		}
		if p := e.problem(identity.Authority, "POST", "/api/v1/evaluation-schemes/"+v2.ID+"/runs", map[string]any{"year": 1999}, 422); !hasField(p, "year") {
			t.Errorf("a run for 1999: %+v", p.Errors)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/evaluation-runs/"+run.ID, nil, 404, nil)
		e.do(identity.ParkManager, "POST", "/api/v1/evaluation-schemes", map[string]any{"name": "x", "definition": def}, 403, nil)
	})
}

// download fetches a file as the authority.
func (e *env) download(t *testing.T, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[identity.Authority])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return data
}
