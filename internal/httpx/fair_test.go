package httpx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFairReadsAdmitsInArrivalOrder: with one slot taken, waiting reads run in the order they
// came, never more than n at once, and writes are not held.
func TestFairReadsAdmitsInArrivalOrder(t *testing.T) {
	release := make(chan struct{})
	var running, most atomic.Int32
	var mu sync.Mutex
	var order []string
	h := FairReads(1, time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		order = append(order, r.URL.Query().Get("n"))
		mu.Unlock()
		if r.URL.Query().Get("n") == "first" {
			<-release
		}
	}))
	var wg sync.WaitGroup
	serve := func(method, n string) {
		defer wg.Done()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, "/x?n="+n, nil))
	}
	wg.Add(1)
	go serve("GET", "first")
	waitFor(t, func() bool { return running.Load() == 1 })
	for _, n := range []string{"a", "b", "c", "d"} {
		wg.Add(1)
		go serve("GET", n)
		time.Sleep(20 * time.Millisecond) // each is queued before the next arrives
	}
	wg.Add(1)
	serve("POST", "write") // runs beside the read holding the slot
	close(release)
	wg.Wait()
	want := []string{"first", "write", "a", "b", "c", "d"}
	if len(order) != len(want) {
		t.Fatalf("order %v", order)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
	if most.Load() != 2 { // the one read and the write
		t.Fatalf("at most %d ran at once", most.Load())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 200 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

// TestFairReadsDropsAWaiterThatLeft: a read whose client went away while it waited never runs.
func TestFairReadsDropsAWaiterThatLeft(t *testing.T) {
	release, ran := make(chan struct{}), atomic.Int32{}
	h := FairReads(1, time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		if r.URL.Path == "/hold" {
			<-release
		}
	}))
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hold", nil))
	waitFor(t, func() bool { return ran.Load() == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	gone := httptest.NewRecorder()
	go func() {
		h.ServeHTTP(gone, httptest.NewRequest("GET", "/gone", nil).WithContext(ctx))
		close(done)
	}()
	cancel()
	<-done
	close(release)
	if ran.Load() != 1 || gone.Code != http.StatusServiceUnavailable {
		t.Fatalf("%d handlers ran; the one that left is logged %d", ran.Load(), gone.Code)
	}
}

// TestFairReadsNeverHoldsHealthOrAStuckQueue: health checks and static files pass a full queue,
// and a read that waited past the limit runs beside the stuck ones.
func TestFairReadsNeverHoldsHealthOrAStuckQueue(t *testing.T) {
	release, ran := make(chan struct{}), atomic.Int32{}
	h := FairReads(1, 50*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		if r.URL.Path == "/stuck" {
			<-release
		}
	}))
	defer close(release)
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/stuck", nil))
	waitFor(t, func() bool { return ran.Load() == 1 })
	for _, path := range []string{"/healthz", "/readyz", "/static/app.css"} {
		start := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
		if time.Since(start) > 40*time.Millisecond {
			t.Fatalf("%s waited %v", path, time.Since(start))
		}
	}
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/list", nil))
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 2*time.Second {
		t.Fatalf("a read behind a stuck one ran after %v, want the 50 ms limit", waited)
	}
	if ran.Load() != 5 {
		t.Fatalf("%d handlers ran, want 5", ran.Load())
	}
}
