package leasing

import (
	"testing"
	"time"
)

func TestStaleAndDefaults(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := Lead{ParkID: "p", Company: "x", Stage: "proposal", LastActivityAt: now.Add(-31 * 24 * time.Hour)}
	if err := l.Validate(); err != nil || l.Probability != 60 || l.Source != "walk_in" {
		t.Fatalf("defaults: %+v %v", l, err)
	}
	l.MarkStale(now)
	if !l.Stale {
		t.Fatal("31 days without activity is stale")
	}
	l.LastActivityAt = now.Add(-29 * 24 * time.Hour)
	if l.MarkStale(now); l.Stale {
		t.Fatal("29 days is not stale")
	}
	l.Stage, l.LastActivityAt = "won", now.Add(-400*24*time.Hour)
	if l.MarkStale(now); l.Stale {
		t.Fatal("a won lead is never stale")
	}
}
