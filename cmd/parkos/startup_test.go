package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkDemoStartup measures `parkos demo` from the command to a ready answer on /readyz
// (§12: < 1 s): cold, building the demo data set through the services on a fresh database (and
// keeping a snapshot); warm, copying the snapshot an earlier start of the hour kept.
func BenchmarkDemoStartup(b *testing.B) {
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			startDemoOnce(b, b.TempDir())
		}
	})
	b.Run("warm", func(b *testing.B) {
		cache := b.TempDir()
		startDemoOnce(b, cache)
		for b.Loop() {
			startDemoOnce(b, cache)
		}
	})
}

// startDemoOnce starts a demo with the snapshot cache in dir and stops it once it is ready;
// only the start is timed.
func startDemoOnce(b *testing.B, dir string) {
	addr := freeAddr(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", addr, "--log-level", "warn", "--demo-cache", dir}, strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	}()
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
}
