package loginguard

import (
	"sync"
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	g := New()
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	g.now = func() time.Time { return now }
	for i := range 10 {
		if _, _, ok := g.Reserve("Operator", "10.0.0.1"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	_, wait, ok := g.Reserve("OPERATOR", "10.0.0.2")
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("11th attempt for the account: ok=%v wait=%v", ok, wait)
	}
	if a, _, ok := g.Reserve("someone-else", "10.0.0.1"); !ok {
		t.Fatal("another account from the same address refused after 10 failures")
	} else {
		a.Abandoned()
	}
	now = now.Add(61 * time.Second)
	if _, _, ok := g.Reserve("operator", "10.0.0.1"); !ok {
		t.Fatal("still refused after the window")
	}
	for i := range 30 {
		g.Reserve("name"+string(rune('a'+i)), "10.9.9.9")
	}
	if _, _, ok := g.Reserve("fresh", "10.9.9.9"); ok {
		t.Fatal("address limit not applied")
	}
	g.Reserve("x", "1.1.1.1")
	a, _, _ := g.Reserve("X", "1.1.1.1")
	a.Succeeded()
	if len(g.failures[accountKey("x")]) != 0 || len(g.failures[addressKey("1.1.1.1")]) != 1 {
		t.Fatalf("success did not clear the account and return its address attempt: %v", g.failures)
	}
}

// 60 wrong passwords for one account at once: the attempts are counted before any hash, so
// exactly the limit is let through to be checked. Before, all 60 were checked.
func TestReserveCountsBeforeHashing(t *testing.T) {
	g := New()
	var mu sync.Mutex
	checked := 0
	var wg sync.WaitGroup
	for range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, ok := g.Reserve("operator", "10.0.0.1"); ok {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if checked != DefaultPerAccount {
		t.Fatalf("%d attempts checked, want %d", checked, DefaultPerAccount)
	}
}

// Hashing slots: with every slot busy, a sign-in is turned away quickly instead of queueing.
func TestHashSlotsAreBounded(t *testing.T) {
	g := New()
	release := make(chan struct{})
	var started sync.WaitGroup
	for range cap(g.hashing) {
		started.Add(1)
		go g.Hash(func() { started.Done(); <-release })
	}
	started.Wait()
	begin := time.Now()
	if g.Hash(func() { t.Error("ran without a slot") }) {
		t.Fatal("a hash ran beyond the slots")
	}
	if waited := time.Since(begin); waited > time.Second {
		t.Fatalf("turned away after %v", waited)
	}
	close(release)
}
