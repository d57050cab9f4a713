package demo

import (
	"context"
	"testing"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store/storetest"
)

// BenchmarkDemoLoad measures writing the demo data set into a fresh, migrated database: the
// larger part of `parkos demo`'s start-up (§12: start-up to ready < 1 s; cmd/parkos's
// BenchmarkDemoStartup measures the whole). Set PARKOS_TEST_PG to measure PostgreSQL too.
func BenchmarkDemoLoad(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				svc := app.New(eng.Open(b), civil.SystemClock{})
				b.StartTimer()
				if err := Load(context.Background(), svc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
