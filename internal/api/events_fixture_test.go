package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
)

// fixtureEvents numbers the fixture's events, so each has its own day and hall.
var fixtureEvents int

// eventHallBody is a valid new event of a park as the API takes it, in the hall, a day of its own.
func eventBody(parkID, hall string) map[string]any {
	fixtureEvents++
	return map[string]any{"park_id": parkID, "title": fmt.Sprintf("路演 %d", fixtureEvents), "kind": "roadshow",
		"starts_at": tomorrowAt(9).AddDate(0, 0, fixtureEvents), "ends_at": tomorrowAt(11).AddDate(0, 0, fixtureEvents),
		"resource_id": hall, "capacity": 50, "audience": "tenants"}
}

// registered schedules an event of park i for its tenants in a new hall, registers enterprise
// i's user and returns the event, the registration and the hall.
func registered(t *testing.T, e *env, i int) (string, string, string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	fixtureEvents++
	hall, err := booking.NewService(e.store, civil.SystemClock{}, nil).CreateResource(ctx, sys, booking.NewResource{ParkID: e.world.Parks[i].ID,
		Code: fmt.Sprintf("HALL-%d-%d", i, fixtureEvents), Name: "路演厅", Kind: "roadshow_hall", ResourceRules: allDay()})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.api.svc.Events.CreateEvent(ctx, sys, event.NewEvent{ParkID: e.world.Parks[i].ID, Title: fmt.Sprintf("产业论坛 %d", fixtureEvents),
		Kind: "forum", StartsAt: tomorrowAt(14).AddDate(0, 0, fixtureEvents), EndsAt: tomorrowAt(16).AddDate(0, 0, fixtureEvents),
		ResourceID: hall.ID, Capacity: 100, Audience: "tenants"})
	if err != nil {
		t.Fatal(err)
	}
	tenant := identity.Scope{Role: identity.EntAdmin, Username: fmt.Sprintf("fixture_attendee_%d", fixtureEvents), EnterpriseID: e.world.Enterprises[i].ID}
	r, err := e.api.svc.Events.Register(ctx, tenant, ev.ID, event.NewRegistration{})
	if err != nil {
		t.Fatal(err)
	}
	return ev.ID, r.ID, hall.ID
}

// stoppedAt is a clock stopped at an instant.
type stoppedAt time.Time

func (m stoppedAt) Today() civil.Date { return civil.FromTime(time.Time(m)) }
func (m stoppedAt) Now() time.Time    { return time.Time(m).UTC() }

// underWay is an event of park i that began half an hour ago — scheduled an hour before — with
// enterprise i's user registered: its door is open.
func underWay(t *testing.T, e *env, i int) (string, string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	fixtureEvents++
	now := time.Now()
	earlier := e.api.svc.On(stoppedAt(now.Add(-time.Hour)))
	ev, err := earlier.Events.CreateEvent(ctx, sys, event.NewEvent{ParkID: e.world.Parks[i].ID, Title: fmt.Sprintf("进行中的论坛 %d", fixtureEvents),
		Kind: "forum", StartsAt: now.Add(-30 * time.Minute), EndsAt: now.Add(2 * time.Hour), Location: "多功能厅", Capacity: 100, Audience: "tenants"})
	if err != nil {
		t.Fatal(err)
	}
	tenant := identity.Scope{Role: identity.EntAdmin, Username: fmt.Sprintf("fixture_attendee_%d", fixtureEvents), EnterpriseID: e.world.Enterprises[i].ID}
	r, err := e.api.svc.Events.Register(ctx, tenant, ev.ID, event.NewRegistration{})
	if err != nil {
		t.Fatal(err)
	}
	return ev.ID, r.ID
}
