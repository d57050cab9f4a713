package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// BenchmarkConflictingBookings is §12's "conflicting booking writes ≥ 500/s with zero double
// bookings": parallel bookers ask for random hours of four resources over two weeks, so that
// most requests collide; every request is a full booking through the service (rules, lock,
// insert, audit). It reports requests per second, the share booked, and fails on any error
// other than a refusal or on any overlap left in the database.
func BenchmarkConflictingBookings(b *testing.B) {
	st := dataset(b)
	ctx, sys := context.Background(), identity.System()
	svc := booking.NewService(st, civil.SystemClock{}, nil)
	ents, err := st.ListEnterprises(ctx, sys, enterprise.Filter{}, page.Request{Limit: 8})
	if err != nil || len(ents.Items) == 0 {
		b.Fatalf("enterprises: %v", err)
	}
	var hours []booking.Window
	for wd := 1; wd <= 7; wd++ {
		hours = append(hours, booking.Window{Weekday: wd, From: "00:00", To: "24:00"})
	}
	var resources []string
	for i := range 4 {
		r, err := svc.CreateResource(ctx, sys, booking.NewResource{ParkID: ents.Items[0].ParkID, Code: fmt.Sprintf("BENCH-%d-%d", time.Now().UnixNano(), i),
			Name: "压测资源", Kind: "compute", ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 180, SharedWithParks: true}})
		if err != nil {
			b.Fatal(err)
		}
		resources = append(resources, r.ID)
	}
	first := civil.SystemClock{}.Today().AddDays(2)
	var booked, seq atomic.Int64
	b.SetParallelism(8) // 16 bookers on two cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			e := ents.Items[int(n)%len(ents.Items)]
			sc := identity.Scope{Role: identity.EntMember, EnterpriseID: e.ID, Username: "bench", Source: "bench"}
			d := first.AddDays(int(n*7919) % 14)
			h := int(n*104729) % 22
			at := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, civil.Shanghai)
			_, err := svc.Book(ctx, sc, booking.NewBooking{ResourceID: resources[int(n)%4], Start: at, End: at.Add(time.Duration(1+n%2) * time.Hour)})
			switch {
			case err == nil:
				booked.Add(1)
			case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.Invalid):
			default:
				b.Error(err)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "requests/s")
	b.ReportMetric(float64(booked.Load())/float64(b.N)*100, "%booked")
	for _, id := range resources {
		from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, civil.Shanghai)
		taken, err := st.Taken(ctx, id, from, from.AddDate(0, 0, 15))
		if err != nil {
			b.Fatal(err)
		}
		for i := 1; i < len(taken); i++ {
			if taken[i][0].Before(taken[i-1][1]) {
				b.Fatalf("double booking on %s: %v overlaps %v", id, taken[i], taken[i-1])
			}
		}
	}
}
