package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// BenchmarkEventRegisterAndCheckIn is the door of a big forum: parallel guests register (the
// event locked, its places counted, the registration and its audit written) and are checked in
// by their code at once. Each event takes 4,000 of them, within its places. It reports
// registrations with check-in per second.
func BenchmarkEventRegisterAndCheckIn(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	svc := event.NewService(st, booking.NewService(st, civil.SystemClock{}, nil), civil.SystemClock{}, nil)
	park := parkByCode(b, st, "G0000")
	staff := identity.Scope{Role: identity.Admin, Username: "bench", Source: "bench"}
	const perEvent = 4_000
	// The events began half an hour ago (scheduled an hour before): their doors are open.
	starts := time.Now().Add(-30 * time.Minute)
	scheduler := event.NewService(st, booking.NewService(st, civil.SystemClock{}, nil), stopped(starts.Add(-30*time.Minute)), nil)
	var events []string
	for range b.N/perEvent + 1 {
		e, err := scheduler.CreateEvent(ctx, staff, event.NewEvent{ParkID: park.ID, Title: "压测论坛", Kind: "forum", StartsAt: starts,
			EndsAt: starts.Add(3 * time.Hour), Location: "主会场", Capacity: perEvent + 100, Audience: "open"})
		if err != nil {
			b.Fatal(err)
		}
		events = append(events, e.ID)
	}
	var seq atomic.Int64
	b.SetParallelism(4) // 8 door staff on two cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1) - 1
			id := events[n/perEvent]
			r, err := svc.Register(ctx, staff, id, event.NewRegistration{GuestName: fmt.Sprintf("嘉宾 %d", n), GuestOrg: "压测"})
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := svc.CheckIn(ctx, staff, id, event.CheckIn{Code: r.Code}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checked-in/s")
	a, err := svc.Attendance(ctx, staff, events[0])
	if err != nil || a.CheckedIn != min(b.N, perEvent) || a.Registered != a.CheckedIn {
		b.Fatalf("attendance %+v, %v: want %d checked in", a, err, min(b.N, perEvent))
	}
}

// stopped is a clock stopped at an instant.
type stopped time.Time

func (m stopped) Today() civil.Date { return civil.FromTime(time.Time(m)) }
func (m stopped) Now() time.Time    { return time.Time(m).UTC() }

// BenchmarkEventsCalendarAllParks is the authority's calendar across every park: a month's
// events, first page, with places taken and check-ins.
func BenchmarkEventsCalendarAllParks(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	svc := event.NewService(st, booking.NewService(st, civil.SystemClock{}, nil), civil.SystemClock{}, nil)
	authority := identity.Scope{Role: identity.Authority, Username: "bench"}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, civil.Shanghai)
	for b.Loop() {
		p, err := svc.Events(ctx, authority, event.Filter{From: from, To: from.AddDate(0, 1, 0)}, page.Request{Limit: 50})
		if err != nil || len(p.Items) == 0 {
			b.Fatalf("calendar: %v", err)
		}
	}
}
