package api

import (
	"math"
	"testing"

	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/identity"
)

// TestGoalsReproduceTheSeed: 昌平's 三个翻一番 revenue goal, 739 亿 (2021) → 1500 亿 (2025), with
// 800 亿 recorded for 2022: 19.36 %/yr required, behind the path, 23.31 %/yr needed from then on.
// Bad goals are refused naming the field; park staff see only their own park's goals.
func TestGoalsReproduceTheSeed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var g goals.Goal
		e.do(identity.Authority, "POST", "/api/v1/goals", map[string]any{"name": "昌平 三个翻一番：营业收入", "indicator": "revenue",
			"group": "district:昌平区", "baseline_year": 2021, "baseline_value": 739, "target_year": 2025, "target_value": 1500}, 201, &g)
		e.do(identity.Authority, "POST", "/api/v1/goals/"+g.ID+"/actuals", map[string]any{"year": 2022, "value": 800}, 200, nil)
		var p goals.Progress
		e.do(identity.Authority, "GET", "/api/v1/goals/"+g.ID, nil, 200, &p)
		if math.Round(p.RequiredCAGR*10000) != 1936 || math.Round(p.RemainingCAGR*10000) != 2331 || p.OnTrack {
			t.Fatalf("required %.4f, remaining %.4f, on track %v; want 0.1936, 0.2331, behind", p.RequiredCAGR, p.RemainingCAGR, p.OnTrack)
		}
		if p.ActualYear != 2022 || p.Actual != 800 || len(p.Actuals) != 1 || p.Actuals[0].Source != "recorded" || len(p.Path) != 5 {
			t.Errorf("actuals %+v, path %v", p.Actuals, p.Path)
		}
		e.do(identity.Authority, "POST", "/api/v1/goals/"+g.ID+"/actuals", map[string]any{"year": 2022, "value": 900}, 200, nil)
		e.do(identity.Authority, "GET", "/api/v1/goals/"+g.ID, nil, 200, &p)
		if !p.OnTrack || p.Actual != 900 {
			t.Errorf("a corrected 2022 actual of 900 亿 is ahead of the path: %+v", p.Progress)
		}

		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "x", "indicator": "revenue_growth", "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, "indicator"},
			{map[string]any{"name": "x", "indicator": "nope", "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, "indicator"},
			{map[string]any{"name": "x", "indicator": "revenue", "baseline_year": 2025, "baseline_value": 1, "target_year": 2021, "target_value": 2}, "target_year"},
			{map[string]any{"name": "x", "indicator": "revenue", "baseline_year": 2021, "baseline_value": -1, "target_year": 2025, "target_value": 2}, "baseline_value"},
			{map[string]any{"name": "x", "indicator": "revenue", "group": "tier:gold", "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, "group"},
			{map[string]any{"name": "x", "indicator": "revenue", "group": "parks:01a00000-0000-7000-8000-000000000000", "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, "group"},
			{map[string]any{"name": "", "indicator": "revenue", "baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, "name"},
			// A denormal baseline made the required growth infinite and the answer an empty 200.
			{map[string]any{"name": "x", "indicator": "revenue", "baseline_year": 2021, "baseline_value": 5e-324, "target_year": 2025, "target_value": 2}, "baseline_value"},
		} {
			if pr := e.problem(identity.Authority, "POST", "/api/v1/goals", bad.body, 422); !hasField(pr, bad.field) {
				t.Errorf("%v: %+v, want %s named", bad.body, pr.Errors, bad.field)
			}
		}
		if pr := e.problem(identity.Authority, "POST", "/api/v1/goals/"+g.ID+"/actuals", map[string]any{"year": 2030, "value": 1}, 422); !hasField(pr, "year") {
			t.Errorf("an actual after the target year: %+v", pr.Errors)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/goals", map[string]any{"name": "自定目标", "indicator": "revenue", "group": "parks:" + e.world.Parks[0].ID,
			"baseline_year": 2021, "baseline_value": 1, "target_year": 2025, "target_value": 2}, 403, nil)

		mine := parkGoal(t, e, e.world.Parks[0].ID)
		parkGoal(t, e, e.world.Parks[1].ID)
		var list []goals.Goal
		e.do(identity.ParkManager, "GET", "/api/v1/goals", nil, 200, &list)
		if len(list) != 1 || list[0].ID != mine {
			t.Errorf("park staff see their park's goal only: %+v", list)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/goals/"+g.ID, nil, 404, nil)
		e.do(identity.Authority, "DELETE", "/api/v1/goals/"+g.ID, nil, 204, nil)
		e.do(identity.Authority, "GET", "/api/v1/goals/"+g.ID, nil, 404, nil)
	})
}
