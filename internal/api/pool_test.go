package api

import (
	"context"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/poolbook"
)

// TestPoolTiersHistoryAndFilters: a park enters the pool, changes tier with dated reasons, is
// recognised as featured; the list filters by tier and featured year; bad decisions are refused
// naming the field and change nothing; park staff read only their own park's entry.
func TestPoolTiersHistoryAndFilters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		p0, p1 := w.Parks[0].ID, w.Parks[1].ID
		var entry pool.Entry
		e.do(identity.Authority, "POST", "/api/v1/pool", map[string]any{"park_id": p0, "entered_on": "2023-03-01", "tier": "planning", "reason": "首批入库"}, 201, &entry)
		if entry.Tier != pool.Planning || entry.TierSince.String() != "2023-03-01" || len(entry.History) != 1 {
			t.Fatalf("entered: %+v", entry)
		}
		e.do(identity.Authority, "POST", "/api/v1/pool", map[string]any{"park_id": p0, "entered_on": "2023-03-01", "tier": "key", "reason": "重复"}, 409, nil)
		e.do(identity.ParkManager, "POST", "/api/v1/pool", map[string]any{"park_id": p1, "entered_on": "2023-03-01", "tier": "key", "reason": "自荐"}, 403, nil)
		e.do(identity.Authority, "POST", "/api/v1/pool/"+p0+"/tier", map[string]any{"tier": "reserve", "effective_on": "2024-01-01", "reason": "产值翻番"}, 200, &entry)
		e.do(identity.Authority, "POST", "/api/v1/pool/"+p0+"/tier", map[string]any{"tier": "key", "effective_on": "2025-01-01", "reason": "评价第一"}, 200, &entry)
		if entry.Tier != pool.Key || len(entry.History) != 3 || entry.History[1].Reason != "产值翻番" {
			t.Fatalf("history: %+v", entry)
		}
		if got := pool.TierOn(entry.History, entry.History[1].EffectiveOn.AddDays(100)); got != pool.Reserve {
			t.Errorf("tier in mid-2024: %s", got)
		}
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"tier": "reserve", "effective_on": "2024-06-01", "reason": "倒签"}, "effective_on"},
			{map[string]any{"tier": "key", "effective_on": "2026-01-01", "reason": "同级"}, "tier"},
			{map[string]any{"tier": "gold", "effective_on": "2026-01-01", "reason": "x"}, "tier"},
			{map[string]any{"tier": "reserve", "effective_on": "2026-01-01", "reason": ""}, "reason"},
		} {
			if p := e.problem(identity.Authority, "POST", "/api/v1/pool/"+p0+"/tier", bad.body, 422); !hasField(p, bad.field) {
				t.Errorf("%v: %+v, want 422 naming %s", bad.body, p.Errors, bad.field)
			}
		}
		e.do(identity.Authority, "POST", "/api/v1/pool/"+p0+"/recognitions", map[string]any{"year": 2024}, 200, &entry)
		e.do(identity.Authority, "POST", "/api/v1/pool/"+p0+"/recognitions", map[string]any{"year": 2024}, 422, nil)
		if len(entry.FeaturedYears) != 1 || entry.FeaturedYears[0] != 2024 || len(entry.History) != 3 {
			t.Fatalf("recognised: %+v", entry)
		}
		e.do(identity.Authority, "POST", "/api/v1/pool", map[string]any{"park_id": p1, "entered_on": "2024-05-01", "tier": "planning", "reason": "入库"}, 201, nil)
		var list page.Page[pool.Entry]
		e.do(identity.Authority, "GET", "/api/v1/pool?tier=key", nil, 200, &list)
		if len(list.Items) != 1 || list.Items[0].ParkID != p0 {
			t.Errorf("key tier: %+v", list.Items)
		}
		e.do(identity.Authority, "GET", "/api/v1/pool?featured_year=2024", nil, 200, &list)
		if len(list.Items) != 1 || list.Items[0].ParkID != p0 {
			t.Errorf("featured 2024: %+v", list.Items)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/pool", nil, 200, &list)
		if len(list.Items) != 1 || list.Items[0].ParkID != p0 {
			t.Errorf("park staff see their own park only: %+v", list.Items)
		}
		e.do(identity.ParkManager, "GET", "/api/v1/pool/"+p1, nil, 404, nil)
		e.do(identity.Authority, "GET", "/api/v1/pool?tier=gold&featured_year=x", nil, 422, nil)
		for _, q := range []string{"tier=bogus", "featured_year=1999"} {
			e.do(identity.Authority, "GET", "/api/v1/pool?"+q, nil, 422, nil)
		}
		// A decision dated after today would take effect at once and lock out corrections.
		if p := e.problem(identity.Authority, "POST", "/api/v1/pool/"+p0+"/tier", map[string]any{"tier": "reserve", "effective_on": "9999-12-31", "reason": "未来"}, 422); !hasField(p, "effective_on") {
			t.Errorf("a future decision: %+v", p.Errors)
		}
	})
}

// TestRacePoolDecisions: many authorities deciding at once — entering one park, and moving a
// pooled park between tiers — leave one entry, and a tier that is the last of its history.
func TestRacePoolDecisions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx, sys := context.Background(), identity.System()
		svc := pool.NewService(e.store, civil.SystemClock{})
		p0 := e.world.Parks[0].ID
		var wg sync.WaitGroup
		var mu sync.Mutex
		entered := 0
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := svc.Enter(ctx, sys, pool.NewEntry{ParkID: p0, EnteredOn: civil.Of(2024, 1, 1), Tier: pool.Planning, Reason: "入库"}); err == nil {
					mu.Lock()
					entered++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if entered != 1 {
			t.Fatalf("%d concurrent entries of one park succeeded, want 1", entered)
		}
		tiers := []pool.Tier{pool.Reserve, pool.Key, pool.Planning}
		for i := range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = svc.ChangeTier(ctx, sys, p0, pool.TierDecision{Tier: tiers[i%3], EffectiveOn: civil.Of(2025, 1, 1), Reason: "并发"})
			}()
		}
		wg.Wait()
		got, err := svc.Get(ctx, sys, p0)
		if err != nil {
			t.Fatal(err)
		}
		last := got.History[len(got.History)-1]
		if got.Tier != last.Tier || len(got.History) < 2 {
			t.Fatalf("entry tier %s, last decision %s (%d decisions)", got.Tier, last.Tier, len(got.History))
		}
		for i := 1; i < len(got.History); i++ {
			if got.History[i].Tier == got.History[i-1].Tier {
				t.Fatalf("two decisions in a row for %s: a change was made against a stale tier", got.History[i].Tier)
			}
		}
	})
}

// TestPoolImport: the initial pool from a CSV, all or nothing — a bad tier, an unknown code, a
// repeated park and a future date come back by row and column with nothing written; a dry run
// writes nothing; the good file enters the parks with their recognitions.
func TestPoolImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		bad := "园区编码,入库日期,梯队,理由,特色产业园认定年度\n" +
			w.Parks[0].Code + ",2024-03-01,王牌,首批,2024\n" +
			"NOPE,2024-03-01,重点打造,首批,\n" +
			w.Parks[1].Code + ",2024-03-01,储备培育,首批,2024、2025\n" +
			w.Parks[1].Code + ",2099-03-01,储备培育,未来,\n" +
			w.Parks[0].Code + ",2024-03-01,储备培育,重复,\n"
		p := e.problem(identity.Authority, "POST", "/api/v1/pool/imports", []byte(bad), 422)
		got := map[string]bool{}
		for _, f := range p.Errors {
			got[f.Field] = true
		}
		for _, cell := range []string{"CSV!C2", "CSV!A3", "CSV!A5"} { // row 5 repeats row 4's park
			if !got[cell] {
				t.Errorf("%s not named: %+v", cell, p.Errors)
			}
		}
		var list page.Page[pool.Entry]
		e.do(identity.Authority, "GET", "/api/v1/pool", nil, 200, &list)
		if len(list.Items) != 0 {
			t.Fatalf("a refused import entered %d parks", len(list.Items))
		}
		good := "园区编码,入库日期,梯队,理由,特色产业园认定年度\n" + w.Parks[0].Code + ",2024-03-01,重点打造,首批,2024\n" +
			w.Parks[1].Code + ",2024-03-01,reserve,首批,2024、2025\n"
		var res poolbook.Result
		e.do(identity.Authority, "POST", "/api/v1/pool/imports?dry_run=true", []byte(good), 200, &res)
		if res.Committed || res.Entered != 2 {
			t.Errorf("dry run: %+v", res)
		}
		e.do(identity.Authority, "GET", "/api/v1/pool", nil, 200, &list)
		if len(list.Items) != 0 {
			t.Fatal("a dry run entered parks")
		}
		e.do(identity.Authority, "POST", "/api/v1/pool/imports", []byte(good), 200, &res)
		if !res.Committed || res.Entered != 2 {
			t.Fatalf("import: %+v", res)
		}
		var entry pool.Entry
		e.do(identity.Authority, "GET", "/api/v1/pool/"+w.Parks[1].ID, nil, 200, &entry)
		if entry.Tier != pool.Reserve || len(entry.FeaturedYears) != 2 {
			t.Errorf("imported entry: %+v", entry)
		}
		e.do(identity.ParkManager, "POST", "/api/v1/pool/imports", []byte(good), 403, nil)
	})
}
