package storetest

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// The booking tests run on Monday 7 December 2026, noon in Shanghai.
var bookingDay = civil.Of(2026, 12, 7)

// at is an instant of a day of the test week in Shanghai: day 0 is the Monday.
func at(day, hour, minute int) time.Time {
	d := bookingDay.AddDays(day)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, civil.Shanghai)
}

// p2Lab is a P2 lab with every rule of §7: open Monday to Friday 09:00–18:00 in 30-minute
// slots, 1–3 hours, booked 12 hours ahead, approved by staff, for holders of a "p2" certificate,
// 100 元 an hour to members, 150 to other parks (it is shared), 4 hours an enterprise a week,
// cancellable until 24 hours before.
func p2Lab(t *testing.T, svc *booking.Service, parkID string) booking.Resource {
	t.Helper()
	var hours []booking.Window
	for wd := 1; wd <= 5; wd++ {
		hours = append(hours, booking.Window{Weekday: wd, From: "09:00", To: "18:00"})
	}
	r, err := svc.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: parkID, Code: "P2-01", Name: "P2 实验室 1 号", Kind: "p2_lab",
		ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 30, MinMinutes: 60, MaxMinutes: 180, LeadHours: 12, NeedsApproval: true,
			Certificate: "p2", Prices: booking.Prices{Member: measure.Yuan(100), NonMember: measure.Yuan(200), OtherPark: measure.Yuan(150)},
			Quota: booking.Quota{Hours: 4, Per: "week"}, CancelHours: 24, SharedWithParks: true}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// refusedBy checks that err is a refusal naming rule.
func refusedBy(t *testing.T, what string, err error, rule string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || len(ae.Fields) == 0 || ae.Fields[0].Code != rule {
		t.Errorf("%s: %v %+v, want a refusal by rule %s", what, err, ae, rule)
		return
	}
	if ae.Fields[0].MessageZh == "" || ae.Fields[0].MessageEn == "" {
		t.Errorf("%s: the refusal must say why in both languages: %+v", what, ae.Fields[0])
	}
}

// TestEveryBookingRule books a P2 lab against each rule of §7, once allowed and once refused,
// on both engines, and checks prices, the lifecycle and the charges by hand.
func TestEveryBookingRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		svc := booking.NewService(st, civil.FixedClock(bookingDay), nil)
		sys := identity.System()
		lab := p2Lab(t, svc, w.Parks[0].ID)
		tenant := w.Scope(identity.EntAdmin) // enterprise 0, of park 0: a member
		staff := w.Scope(identity.ParkManager)
		book := func(sc identity.Scope, start, end time.Time) (booking.Booking, error) {
			res, err := svc.Book(ctx, sc, booking.NewBooking{ResourceID: lab.ID, Start: start, End: end})
			if err != nil {
				return booking.Booking{}, err
			}
			return res.Booked[0], nil
		}

		// Certificate: none, expired, then a valid one.
		_, err := book(tenant, at(1, 10, 0), at(1, 11, 0))
		refusedBy(t, "no certificate", err, "certificate")
		issue := func(username string, expires civil.Date) {
			t.Helper()
			if _, err := svc.IssueCertificate(ctx, staff, booking.NewCertificate{ParkID: w.Parks[0].ID, Username: username, Kind: "p2",
				IssuedOn: civil.Of(2025, 1, 1), ExpiresOn: expires}); err != nil {
				t.Fatal(err)
			}
		}
		issue(tenant.Username, civil.Of(2026, 12, 1))
		_, err = book(tenant, at(1, 10, 0), at(1, 11, 0))
		refusedBy(t, "an expired certificate", err, "certificate")
		issue(tenant.Username, civil.Of(2027, 12, 1))

		// Calendar rules.
		_, err = book(tenant, at(1, 8, 0), at(1, 9, 0))
		refusedBy(t, "before opening", err, "outside_hours")
		_, err = book(tenant, at(5, 10, 0), at(5, 11, 0))
		refusedBy(t, "on a Saturday", err, "outside_hours")
		_, err = book(tenant, at(1, 10, 15), at(1, 11, 15))
		refusedBy(t, "off the 30-minute grid", err, "off_grid")
		_, err = book(tenant, at(1, 10, 0), at(1, 10, 30))
		refusedBy(t, "shorter than an hour", err, "too_short")
		_, err = book(tenant, at(1, 10, 0), at(1, 14, 0))
		refusedBy(t, "longer than 3 hours", err, "too_long")
		_, err = book(tenant, at(0, 14, 0), at(0, 15, 0))
		refusedBy(t, "inside the 12-hour lead time", err, "lead_time")
		_, err = book(tenant, at(1, 17, 0), at(2, 9, 0))
		refusedBy(t, "across midnight", err, "one_day")
		_, err = book(tenant, at(400, 10, 0), at(400, 11, 0))
		refusedBy(t, "more than a year ahead", err, "too_far")
		if _, err := svc.AddHoliday(ctx, staff, w.Parks[0].ID, booking.Holiday{Day: bookingDay.AddDays(2), Name: "园区检修"}); err != nil {
			t.Fatal(err)
		}
		_, err = book(tenant, at(2, 10, 0), at(2, 11, 0))
		refusedBy(t, "on the park's holiday", err, "holiday")

		// Allowed: Tuesday 10:00–11:30, awaiting approval, 90 minutes at the member price.
		first, err := book(tenant, at(1, 10, 0), at(1, 11, 30))
		if err != nil {
			t.Fatal(err)
		}
		if first.Status != booking.Requested || first.Price != measure.Yuan(150) || first.BookerKind != "member" {
			t.Errorf("first booking: %s %s %s, want requested, 150.00 (100 元 an hour × 90 minutes), member", first.Status, first.Price, first.BookerKind)
		}

		// Overlap: another enterprise's user, certified, of another park (the lab is shared).
		other := identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[1].ID, Username: "other_tenant", Source: "test"}
		if _, err := AccountsOf(st).CreateUser(ctx, sys, identity.UserInput{Username: "other_tenant", Role: identity.EntMember,
			EnterpriseID: w.Enterprises[1].ID, Password: "long-enough-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.IssueCertificate(ctx, sys, booking.NewCertificate{ParkID: w.Parks[0].ID, Username: "other_tenant", Kind: "p2",
			IssuedOn: civil.Of(2025, 1, 1), ExpiresOn: civil.Of(2027, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		_, err = book(other, at(1, 11, 0), at(1, 12, 0))
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("an overlapping booking: %v, want a conflict", err)
		}
		if ae, _ := apperr.As(err); ae.Fields[0].Code != "overlap" || ae.MessageEn != "this time is taken; the next free 60 minutes that day start at 11:30" {
			t.Errorf("the overlap must name the next free slot: %+v", ae)
		}
		theirs, err := book(other, at(1, 11, 30), at(1, 12, 30))
		if err != nil {
			t.Fatal(err)
		}
		if theirs.BookerKind != "other_park" || theirs.Price != measure.Yuan(150) {
			t.Errorf("another park's booking: %s %s, want other_park at 150 元 an hour", theirs.BookerKind, theirs.Price)
		}

		// Quota: 4 hours a week. 1.5 hours held; 2 more on Thursday is fine, then 1 more is not.
		if _, err := book(tenant, at(3, 9, 0), at(3, 11, 0)); err != nil {
			t.Fatal(err)
		}
		_, err = book(tenant, at(3, 14, 0), at(3, 15, 0))
		refusedBy(t, "over the weekly quota", err, "quota")
		if ae, _ := apperr.As(err); ae != nil && ae.Fields[0].MessageEn != "over the quota of 4 hours a week: 30 minutes left in this period" {
			t.Errorf("the quota refusal must say what is left: %q", ae.Fields[0].MessageEn)
		}
		if _, err := book(tenant, at(3, 14, 0), at(3, 14, 30)); err == nil {
			t.Error("30 minutes is below the 60-minute minimum")
		}
		// Next week's quota is fresh.
		if _, err := book(tenant, at(8, 10, 0), at(8, 11, 0)); err != nil {
			t.Errorf("next week: %v", err)
		}

		// Cancellation window: Tuesday 10:00 is 22 hours away, inside the 24-hour window; a staff
		// member may still cancel, with a reason.
		_, err = svc.Decide(ctx, tenant, first.ID, booking.Decision{Action: "cancel"})
		refusedBy(t, "cancel inside the window", err, "cancel_window")
		thursday, _ := svc.Bookings(ctx, tenant, booking.Filter{From: bookingDay.AddDays(3), To: bookingDay.AddDays(3)}, page.Request{})
		if len(thursday.Items) != 1 {
			t.Fatalf("Thursday's bookings: %+v", thursday.Items)
		}
		if c, err := svc.Decide(ctx, tenant, thursday.Items[0].ID, booking.Decision{Action: "cancel"}); err != nil || c.Status != booking.Cancelled {
			t.Errorf("cancel Thursday in time: %v %v", c.Status, err)
		}

		// Lifecycle and charges: approve, check in, complete → one charge of the booking's price;
		// a no-show is charged too; a rejection needs a reason and is not charged.
		if _, err := svc.Decide(ctx, tenant, first.ID, booking.Decision{Action: "approve"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a tenant approving: %v, want forbidden", err)
		}
		for _, step := range []string{"approve", "check_in", "complete"} {
			if _, err := svc.Decide(ctx, staff, first.ID, booking.Decision{Action: step}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		if _, err := svc.Decide(ctx, staff, first.ID, booking.Decision{Action: "complete"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("completing twice: %v, want a conflict", err)
		}
		_, err = svc.Decide(ctx, staff, theirs.ID, booking.Decision{Action: "reject"})
		refusedBy(t, "a rejection without a reason", err, "required")
		if _, err := svc.Decide(ctx, staff, theirs.ID, booking.Decision{Action: "approve"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Decide(ctx, staff, theirs.ID, booking.Decision{Action: "no_show"}); err != nil {
			t.Fatal(err)
		}
		mine, err := svc.Charges(ctx, tenant, w.Enterprises[0].ID)
		if err != nil || len(mine) != 1 || mine[0].Amount != measure.Yuan(150) || mine[0].SourceID != first.ID {
			t.Errorf("enterprise 0's charges: %+v %v, want one of 150.00 for its completed booking", mine, err)
		}
		theirCharges, err := svc.Charges(ctx, sys, w.Enterprises[1].ID)
		if err != nil || len(theirCharges) != 1 || theirCharges[0].Amount != measure.Yuan(150) {
			t.Errorf("enterprise 1's no-show charge: %+v %v", theirCharges, err)
		}
		if _, err := svc.Charges(ctx, tenant, w.Enterprises[1].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another enterprise's charges: %v, want not found", err)
		}

		// A resource not shared is invisible to other parks' enterprises.
		hours := everyDay("08:00", "20:00")
		room, err := svc.CreateResource(ctx, staff, booking.NewResource{ParkID: w.Parks[0].ID, Code: "MR-1", Name: "会议室", Kind: "meeting_room",
			ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 240}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Book(ctx, other, booking.NewBooking{ResourceID: room.ID, Start: at(1, 9, 0), End: at(1, 10, 0)})
		refusedBy(t, "another park's enterprise booking an unshared room", err, "not_found")
		if _, err := svc.Book(ctx, tenant, booking.NewBooking{ResourceID: room.ID, Start: at(1, 9, 0), End: at(1, 10, 0)}); err != nil {
			t.Errorf("a member booking the room: %v", err)
		}
	})
}

// TestWeeklySeriesReportsEachConflict: a weekly series over six weeks against bookings on two of
// its dates books the other four and names exactly the two dates, each with its rule.
func TestWeeklySeriesReportsEachConflict(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		svc := booking.NewService(st, civil.FixedClock(bookingDay), nil)
		hours := everyDay("08:00", "20:00")
		room, err := svc.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: w.Parks[0].ID, Code: "RH-1", Name: "路演厅", Kind: "roadshow_hall",
			ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 240}})
		if err != nil {
			t.Fatal(err)
		}
		tenant := w.Scope(identity.EntAdmin)
		other := identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[1].ID, Username: "x", Source: "test"}
		if _, err := svc.UpdateRules(ctx, identity.System(), room.ID, func() booking.ResourceRules { r := room.ResourceRules; r.SharedWithParks = true; return r }()); err != nil {
			t.Fatal(err)
		}
		for _, week := range []int{2, 4} {
			if _, err := svc.Book(ctx, other, booking.NewBooking{ResourceID: room.ID, Start: at(7*week+2, 14, 0), End: at(7*week+2, 15, 0)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.AddHoliday(ctx, identity.System(), w.Parks[0].ID, booking.Holiday{Day: bookingDay.AddDays(7*5 + 2), Name: "元旦"}); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Book(ctx, tenant, booking.NewBooking{ResourceID: room.ID, Start: at(2, 13, 0), End: at(2, 15, 0), Weeks: 6})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Booked) != 3 || len(res.Refused) != 3 {
			t.Fatalf("booked %d, refused %+v; want 3 and 3", len(res.Booked), res.Refused)
		}
		want := []struct {
			date civil.Date
			rule string
		}{{bookingDay.AddDays(16), "overlap"}, {bookingDay.AddDays(30), "overlap"}, {bookingDay.AddDays(37), "holiday"}}
		for i, c := range res.Refused {
			if c.Date != want[i].date || c.Rule != want[i].rule || c.MessageZh == "" {
				t.Errorf("refused date %d: %+v, want %s by %s", i, c, want[i].date, want[i].rule)
			}
		}
		for _, b := range res.Booked {
			if b.SeriesID == "" || b.SeriesID != res.Booked[0].SeriesID {
				t.Errorf("the series' bookings share one series id: %+v", b)
			}
		}
	})
}

// TestRaceOverlappingBookings: 100 requests for overlapping times of one resource at once make
// exactly one booking, on both engines; the others are refused as conflicts.
func TestRaceOverlappingBookings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		svc := booking.NewService(st, civil.FixedClock(bookingDay), nil)
		hours := everyDay("00:00", "24:00")
		gpu, err := svc.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: w.Parks[0].ID, Code: "GPU-1", Name: "算力节点", Kind: "compute",
			ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 480}})
		if err != nil {
			t.Fatal(err)
		}
		wins, conflicts, other := race(100, func(i int) error {
			sc := identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[0].ID, Username: fmt.Sprintf("u%d", i), Source: "test"}
			start := at(1, 8+i%4, 0) // four different starts, all overlapping 11:00–12:00
			_, err := svc.Book(ctx, sc, booking.NewBooking{ResourceID: gpu.ID, Start: start, End: at(1, 12, 0)})
			return err
		})
		if wins != 1 || conflicts != 99 || len(other) > 0 {
			t.Fatalf("%d booked, %d conflicts, other errors %v; want exactly one booking", wins, conflicts, other)
		}
		held, err := svc.Bookings(ctx, identity.System(), booking.Filter{ResourceID: gpu.ID}, page.Request{})
		if err != nil || len(held.Items) != 1 {
			t.Fatalf("bookings kept: %d %v", len(held.Items), err)
		}
	})
}

// TestDatabaseRefusesDoubleBooking: whatever a service checks, the database itself refuses a
// second held booking overlapping the first (PostgreSQL's exclusion constraint, SQLite's
// trigger), and accepts one that only touches it or that is cancelled.
func TestDatabaseRefusesDoubleBooking(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		svc := booking.NewService(st, civil.FixedClock(bookingDay), nil)
		hours := everyDay("00:00", "24:00")
		r, err := svc.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: w.Parks[0].ID, Code: "I-1", Name: "流式细胞仪", Kind: "instrument",
			ResourceRules: booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 480}})
		if err != nil {
			t.Fatal(err)
		}
		insert := func(start, end time.Time, status booking.Status) error {
			return st.InTx(ctx, func(ctx context.Context) error {
				return st.InsertBooking(ctx, booking.Booking{ID: st.NewID(), ResourceID: r.ID, ParkID: w.Parks[0].ID, EnterpriseID: w.Enterprises[0].ID,
					Username: "direct", Start: start, End: end, Status: status, BookerKind: "member", PriceRule: "test"})
			})
		}
		if err := insert(at(1, 10, 0), at(1, 12, 0), booking.Approved); err != nil {
			t.Fatal(err)
		}
		if err := insert(at(1, 11, 0), at(1, 13, 0), booking.Requested); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("an overlapping held booking written directly: %v, want a conflict from the database", err)
		}
		if err := insert(at(1, 12, 0), at(1, 13, 0), booking.Approved); err != nil {
			t.Errorf("a booking that only touches the first: %v", err)
		}
		if err := insert(at(1, 10, 0), at(1, 11, 0), booking.Cancelled); err != nil {
			t.Errorf("a cancelled booking holds no time: %v", err)
		}
	})
}

// TestUtilisation: a lab open Monday to Friday 09:00–18:00, closed on one holiday, with 2 and
// 1.5 hours used in December (a cancelled and an unapproved booking do not count): its December
// utilisation and the park's year indicator are those hours over the open hours, by hand.
func TestUtilisation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		svc := booking.NewService(st, civil.FixedClock(bookingDay), nil)
		r, err := svc.CreateResource(ctx, identity.System(), booking.NewResource{ParkID: w.Parks[0].ID, Code: "U-1", Name: "仪器", Kind: "instrument",
			ResourceRules: booking.ResourceRules{Hours: func() []booking.Window {
				var out []booking.Window
				for wd := 1; wd <= 5; wd++ {
					out = append(out, booking.Window{Weekday: wd, From: "09:00", To: "18:00"})
				}
				return out
			}(), SlotMinutes: 30, MinMinutes: 30, MaxMinutes: 480}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddHoliday(ctx, identity.System(), w.Parks[0].ID, booking.Holiday{Day: bookingDay.AddDays(2), Name: "检修"}); err != nil {
			t.Fatal(err)
		}
		tenant, staff := w.Scope(identity.EntAdmin), w.Scope(identity.ParkManager)
		book := func(day, from, to int) string {
			res, err := svc.Book(ctx, tenant, booking.NewBooking{ResourceID: r.ID, Start: at(day, from, 0), End: at(day, to, 0)})
			if err != nil {
				t.Fatal(err)
			}
			return res.Booked[0].ID
		}
		book(1, 9, 11) // approved: 2 hours
		half, err := svc.Book(ctx, tenant, booking.NewBooking{ResourceID: r.ID, Start: at(3, 14, 0), End: at(3, 15, 30)})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []string{"check_in", "complete"} { // completed: 1.5 hours
			if _, err := svc.Decide(ctx, staff, half.Booked[0].ID, booking.Decision{Action: step}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Decide(ctx, tenant, book(4, 9, 12), booking.Decision{Action: "cancel"}); err != nil {
			t.Fatal(err)
		}
		// Open hours of December 2026 from the lab's first day: 9 a weekday but the holiday.
		open := 0.0
		since := civil.FromTime(r.CreatedAt)
		for d := civil.Of(2026, 12, 1); d.Month() == 12; d = d.AddDays(1) {
			if d.ISOWeekday() <= 5 && d != bookingDay.AddDays(2) && !d.Before(since) {
				open += 9
			}
		}
		months, err := svc.Utilisation(ctx, staff, r.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		dec := months[11]
		if dec.Month != "2026-12" || dec.OpenHours != open || dec.BookedHours != 3.5 || open > 0 && dec.Rate != 3.5/open {
			t.Errorf("December: %+v, want %.0f open hours and 3.5 booked", dec, open)
		}
		if _, err := svc.Utilisation(ctx, w.Scope(identity.EntAdmin), r.ID, 2026); err == nil {
			t.Error("a tenant read the lab's utilisation")
		}
		vals, err := IndicatorsOf(st).Values(ctx, identity.System(), 2026, indicator.Group{Kind: "all"}, []string{"facility_utilisation"})
		if err != nil {
			t.Fatal(err)
		}
		novOpen := 0.0
		for d := since; d.Year() == 2026 && d.Month() == 11; d = d.AddDays(1) {
			if d.ISOWeekday() <= 5 {
				novOpen += 9
			}
		}
		if got := vals.Values[w.Parks[0].ID]["facility_utilisation"]; open > 0 && (!got.Known || math.Abs(got.Value-3.5/(open+novOpen)*100) > 1e-9) {
			t.Errorf("the park's 2026 utilisation: %+v, want %.6f %%", got, 3.5/(open+novOpen)*100)
		}
		if got := vals.Values[w.Parks[1].ID]["facility_utilisation"]; got.Known {
			t.Errorf("a park without resources has no utilisation: %+v", got)
		}
	})
}

// everyDay opens a resource every day of the week from one time to another.
func everyDay(from, to string) []booking.Window {
	var out []booking.Window
	for wd := 1; wd <= 7; wd++ {
		out = append(out, booking.Window{Weekday: wd, From: from, To: to})
	}
	return out
}
