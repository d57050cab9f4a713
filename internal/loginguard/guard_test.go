package loginguard

import (
	"sync"
	"testing"
	"time"
)

// Hashing slots: with every slot busy, a sign-in is turned away quickly instead of queueing.
// The limits themselves are counted in the database: storetest/TestSignInLimitsHoldAcrossInstances.
func TestHashSlotsAreBounded(t *testing.T) {
	g := New(nil)
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
