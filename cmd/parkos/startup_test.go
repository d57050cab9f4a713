package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkDemoStartup measures `parkos demo` from the command to a ready answer on /readyz:
// opening a fresh database, migrating, loading the demo data set and listening (§12: < 1 s).
func BenchmarkDemoStartup(b *testing.B) {
	for b.Loop() {
		addr := freeAddr(b)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"demo", "--addr", addr, "--log-level", "warn"}, strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
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
}
