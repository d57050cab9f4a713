package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestEventsBookRegisterAndCheckIn: an event books its venue (a second event at that time is
// refused, as is a tenant's booking of it); registrations fill the places, then the waiting list;
// an event without one refuses the next; a cancellation moves the first waiting up and tells
// them; a code checks in once; racing registrations never exceed the places and racing
// check-ins of one code land once — on both engines.
func TestEventsBookRegisterAndCheckIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		clock.set(0, 12, 0) // Monday 7 December 2026, noon
		notices := notify.NewService(st, clock.Now)
		bookings := booking.NewService(st, clock, notices)
		svc := event.NewService(st, bookings, clock, notices)
		hall := mustOK[booking.Resource](t, "hall")(bookings.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: w.Parks[0].ID, Code: "RH-9",
			Name: "路演厅", Kind: "roadshow_hall", ResourceRules: booking.ResourceRules{Hours: everyDay("08:00", "22:00"), SlotMinutes: 30, MinMinutes: 30, MaxMinutes: 600}}))
		staff, tenant := w.Scope(identity.ParkManager), w.Scope(identity.EntAdmin)
		otherStaff := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{w.Parks[1].ID}, Username: "other_pm"}
		forum := event.NewEvent{ParkID: w.Parks[0].ID, Title: "生命科学产业论坛", Kind: "forum", StartsAt: at(2, 14, 0), EndsAt: at(2, 17, 0),
			ResourceID: hall.ID, Capacity: 2, Audience: "open", Waitlist: true}
		_, err := svc.CreateEvent(ctx, otherStaff, forum)
		refusedBy(t, "another park's staff", err, "not_found")
		e := mustOK[event.Event](t, "forum")(svc.CreateEvent(ctx, staff, forum))
		if e.BookingID == "" || e.VenueName != "路演厅" {
			t.Fatalf("venue not booked: %+v", e)
		}
		clash := forum
		clash.Title, clash.StartsAt, clash.EndsAt = "路演", at(2, 16, 0), at(2, 18, 0)
		_, err = svc.CreateEvent(ctx, staff, clash)
		refusedWith(t, "a second event in the booked venue", err, apperr.Conflict)
		_, err = bookings.Book(ctx, tenant, booking.NewBooking{ResourceID: hall.ID, Start: at(2, 15, 0), End: at(2, 16, 0)})
		refusedWith(t, "a tenant booking the event's venue", err, apperr.Conflict)
		bad := forum
		bad.Capacity = 0
		_, err = svc.CreateEvent(ctx, staff, bad)
		refusedBy(t, "no places", err, "out_of_range")

		users := make([]identity.Scope, 4)
		for i := range users {
			u := mustOK[identity.User](t, "user")(AccountsOf(st).CreateUser(ctx, identity.System(), identity.UserInput{Username: []string{"member_a", "member_b", "member_c", "member_d"}[i],
				Role: identity.EntMember, EnterpriseID: w.Enterprises[i%2].ID, Password: w.Password}))
			users[i] = identity.ScopeOf(u)
		}
		first := mustOK[event.Registration](t, "first")(svc.Register(ctx, users[0], e.ID, event.NewRegistration{}))
		mustOK[event.Registration](t, "second")(svc.Register(ctx, users[1], e.ID, event.NewRegistration{}))
		_, err = svc.Register(ctx, users[0], e.ID, event.NewRegistration{})
		refusedWith(t, "registering twice", err, apperr.Conflict)
		third := mustOK[event.Registration](t, "third")(svc.Register(ctx, users[2], e.ID, event.NewRegistration{}))
		if third.Status != event.Waitlisted {
			t.Errorf("beyond the places: %s", third.Status)
		}
		guest := mustOK[event.Registration](t, "guest")(svc.Register(ctx, staff, e.ID, event.NewRegistration{GuestName: "王教授", GuestOrg: "某大学", GuestPhone: "13800000000"}))
		if guest.Status != event.Waitlisted || guest.Kind != "guest" {
			t.Errorf("the guest: %+v", guest)
		}
		_, err = svc.Register(ctx, staff, e.ID, event.NewRegistration{})
		refusedBy(t, "staff registering no one", err, "required")

		mustOK[event.Registration](t, "cancel")(svc.CancelRegistration(ctx, users[0], first.ID))
		up := mustOK[event.Registration](t, "promoted")(svc.Registration(ctx, staff, third.ID))
		if up.Status != event.Registered {
			t.Errorf("the first waiting did not move up: %s", up.Status)
		}
		bell := mustOK[page.Page[notify.Notification]](t, "bell")(notices.Inbox(ctx, users[2], page.Request{}))
		if !slices.ContainsFunc(bell.Items, func(n notify.Notification) bool { return n.Kind == "event_update" }) {
			t.Errorf("the promoted user was not told: %+v", bell.Items)
		}

		_, err = svc.CheckIn(ctx, staff, e.ID, event.CheckIn{Code: up.Code})
		refusedWith(t, "a check-in days before the event", err, apperr.Conflict)
		clock.set(2, 13, 40) // the door opens on the event's day
		in := mustOK[event.Registration](t, "check in")(svc.CheckIn(ctx, staff, e.ID, event.CheckIn{Code: up.Code}))
		if in.CheckedInAt == nil {
			t.Error("no check-in time")
		}
		_, err = svc.CheckIn(ctx, staff, e.ID, event.CheckIn{Code: up.Code})
		refusedBy(t, "a code used twice", err, "already_used")
		_, err = svc.CheckIn(ctx, staff, e.ID, event.CheckIn{Code: guest.Code})
		refusedBy(t, "a waiting guest's code", err, "waitlisted")
		_, err = svc.CheckIn(ctx, staff, e.ID, event.CheckIn{Code: "NOPE2345"})
		refusedBy(t, "an unknown code", err, "not_found")
		_, err = svc.CheckIn(ctx, tenant, e.ID, event.CheckIn{Code: up.Code})
		refusedWith(t, "a tenant checking in", err, apperr.Forbidden)

		// An enterprise user brings a few guests, not the whole room.
		for i := range 3 {
			mustOK[event.Registration](t, "a brought guest")(svc.Register(ctx, users[3], e.ID, event.NewRegistration{GuestName: fmt.Sprintf("同事 %d", i+1)}))
		}
		_, err = svc.Register(ctx, users[3], e.ID, event.NewRegistration{GuestName: "同事 4"})
		refusedBy(t, "a fourth guest of one user", err, "too_many_guests")
		_, err = svc.Register(ctx, staff, e.ID, event.NewRegistration{GuestName: "访客", GuestPhone: "-----"})
		refusedBy(t, "a phone number without digits", err, "invalid")

		// No waiting list: the next registration is refused, naming the capacity.
		small := forum
		small.Title, small.StartsAt, small.EndsAt, small.Capacity, small.Waitlist = "培训", at(3, 9, 0), at(3, 11, 0), 1, false
		s := mustOK[event.Event](t, "training")(svc.CreateEvent(ctx, staff, small))
		mustOK[event.Registration](t, "only place")(svc.Register(ctx, users[0], s.ID, event.NewRegistration{}))
		_, err = svc.Register(ctx, users[1], s.ID, event.NewRegistration{})
		refusedBy(t, "beyond the places without a waiting list", err, "full")

		// Racing registrations for three places: three registered, the rest waiting.
		busy := forum
		busy.Title, busy.StartsAt, busy.EndsAt, busy.Capacity = "园区行", at(4, 9, 0), at(4, 12, 0), 3
		b := mustOK[event.Event](t, "visit")(svc.CreateEvent(ctx, staff, busy))
		_, _, other := race(12, func(i int) error {
			_, err := svc.Register(ctx, identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[i%2].ID, Username: "racer" + string(rune('a'+i))}, b.ID, event.NewRegistration{})
			return err
		})
		if len(other) > 0 {
			t.Fatalf("racing registrations: %v", other)
		}
		att := mustOK[event.Attendance](t, "attendance")(svc.Attendance(ctx, staff, b.ID))
		if att.Registered != 3 || att.Waitlisted != 9 {
			t.Errorf("racing registrations: %d registered, %d waiting", att.Registered, att.Waitlisted)
		}
		code := att.Registration[0].Code
		clock.set(4, 8, 45)
		wins, conflicts, other := race(6, func(int) error {
			_, err := svc.CheckIn(ctx, staff, b.ID, event.CheckIn{Code: code})
			if apperr.Is(err, apperr.Invalid) {
				return apperr.New(apperr.Conflict, "used", "used")
			}
			return err
		})
		if wins != 1 || conflicts != 5 || len(other) > 0 {
			t.Errorf("racing check-ins: %d landed, %d refused, %v", wins, conflicts, other)
		}

		// After the forum: one came, one did not (the cancelled and the four waiting guests are neither).
		clock.set(3, 9, 0)
		a := mustOK[event.Attendance](t, "forum attendance")(svc.Attendance(ctx, staff, e.ID))
		if a.Registered != 2 || a.CheckedIn != 1 || a.NoShows != 1 || a.Cancelled != 1 || a.Waitlisted != 4 {
			t.Errorf("attendance: %+v", a)
		}
		// Reminders: the day before the visit, its registered users are told once.
		clock.set(3, 10, 0)
		n := mustOK[int](t, "remind")(svc.Remind(ctx))
		if again := mustOK[int](t, "remind again")(svc.Remind(ctx)); n != 3 || again != 0 {
			t.Errorf("reminders: %d, then %d", n, again)
		}
		ics, _, err := svc.ICS(ctx, users[2], "", up.ID)
		if err != nil || !strings.Contains(string(ics), "BEGIN:VEVENT") || !strings.Contains(string(ics), up.Code) || !strings.Contains(string(ics), "生命科学产业论坛") {
			t.Errorf("registration's calendar entry: %v %s", err, ics)
		}
		if png, err := svc.QR(ctx, users[2], up.ID); err != nil || len(png) < 100 || string(png[1:4]) != "PNG" {
			t.Errorf("QR: %v", err)
		}
		_, err = svc.QR(ctx, identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[1].ID, Username: "member_b"}, up.ID)
		refusedWith(t, "another enterprise's QR", err, apperr.NotFound)

		// A cancelled event has no door.
		v := mustOK[event.Event](t, "cancel the visit")(svc.CancelEvent(ctx, staff, b.ID, "场地维修"))
		clock.set(4, 9, 30)
		_, err = svc.CheckIn(ctx, staff, v.ID, event.CheckIn{Code: att.Registration[1].Code})
		refusedWith(t, "a check-in at a cancelled event", err, apperr.Conflict)
	})
}
