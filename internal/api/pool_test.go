package api

import (
	"context"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
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
