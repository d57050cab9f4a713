package loginguard

import (
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	g := New()
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	g.now = func() time.Time { return now }
	for i := range 10 {
		if ok, _ := g.Allow("Operator", "10.0.0.1"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		g.Fail("operator", "10.0.0.1")
	}
	ok, wait := g.Allow("OPERATOR", "10.0.0.2")
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("11th attempt for the account: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := g.Allow("someone-else", "10.0.0.1"); !ok {
		t.Fatal("another account from the same address refused after 10 failures")
	}
	now = now.Add(61 * time.Second)
	if ok, _ := g.Allow("operator", "10.0.0.1"); !ok {
		t.Fatal("still refused after the window")
	}
	for i := range 30 {
		g.Fail("name"+string(rune('a'+i)), "10.9.9.9")
	}
	if ok, _ := g.Allow("fresh", "10.9.9.9"); ok {
		t.Fatal("address limit not applied")
	}
	g.Fail("x", "1.1.1.1")
	g.Succeed("X")
	if len(g.failures[accountKey("x")]) != 0 {
		t.Fatal("success did not clear the account")
	}
}
