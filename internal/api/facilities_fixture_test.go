package api

import (
	"context"
	"fmt"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/storetest"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
)

// allDay opens a resource every day, all day, in hour slots, so a fixture can book any hour.
func allDay() booking.ResourceRules {
	var hours []booking.Window
	for wd := 1; wd <= 7; wd++ {
		hours = append(hours, booking.Window{Weekday: wd, From: "00:00", To: "24:00"})
	}
	return booking.ResourceRules{Hours: hours, SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 240, CancelHours: 0,
		Prices: booking.Prices{Member: measure.Yuan(100), NonMember: measure.Yuan(150), OtherPark: measure.Yuan(120)}}
}

// resourceBody is a valid new resource of a park as the API takes it.
func resourceBody(parkID, code string) map[string]any {
	var hours []map[string]any
	for wd := 1; wd <= 7; wd++ {
		hours = append(hours, map[string]any{"weekday": wd, "from": "00:00", "to": "24:00"})
	}
	return map[string]any{"park_id": parkID, "code": code, "name": "会议室 " + code, "kind": "meeting_room",
		"slot_minutes": 60, "min_minutes": 60, "max_minutes": 240, "hours": hours}
}

// tomorrowAt is hour h of the day after today in Shanghai, as the API writes instants.
func tomorrowAt(h int) time.Time {
	d := civil.SystemClock{}.Today().AddDays(1)
	return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, civil.Shanghai)
}

// fixtureResources numbers the fixture's resources, so each has its own code.
var fixtureResources int

// facility makes a meeting room in park i and books one hour of it tomorrow for enterprise i as
// username (an enterprise user of it), returning the resource and the booking.
func facility(t *testing.T, e *env, i int, username string, hour int) (string, string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	svc := booking.NewService(e.store, civil.SystemClock{}, nil)
	fixtureResources++
	r, err := svc.CreateResource(ctx, sys, booking.NewResource{ParkID: e.world.Parks[i].ID, Code: fmt.Sprintf("MR-%d-%d", i, fixtureResources), Name: "会议室",
		Kind: "meeting_room", ResourceRules: allDay()})
	if err != nil {
		t.Fatal(err)
	}
	booker := identity.Scope{Role: identity.EntMember, EnterpriseID: e.world.Enterprises[i].ID, Username: username, Source: "test"}
	res, err := svc.Book(ctx, booker, booking.NewBooking{ResourceID: r.ID, Start: tomorrowAt(hour), End: tomorrowAt(hour + 1)})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID, res.Booked[0].ID
}

// noticeFor tells a user something, so a fixture has a notification of theirs to act on, and
// returns its id.
func noticeFor(t *testing.T, e *env, sc identity.Scope) string {
	t.Helper()
	ctx := context.Background()
	err := e.store.InTx(ctx, func(ctx context.Context) error {
		return e.api.svc.Notices.TellUser(ctx, sc.Username, notify.Message{Kind: "booking_decided", TitleZh: "测试", TitleEn: "test", Link: "/bookings"})
	})
	if err != nil {
		t.Fatal(err)
	}
	inbox, err := e.api.svc.Notices.Inbox(ctx, sc, page.Request{Limit: 1})
	if err != nil || len(inbox.Items) == 0 {
		t.Fatalf("no notification for %s: %v", sc.Username, err)
	}
	return inbox.Items[0].ID
}

// serviceTicket files a repair of enterprise i with its park, with a third-party provider of
// the park and a photo attached, as username of that enterprise; it returns the ticket's,
// the attachment's and the provider's ids.
func serviceTicket(t *testing.T, e *env, i int, username string) (ticket, attachment, provider string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	svc := e.api.svc.Services
	p, err := svc.AddProvider(ctx, sys, servicedesk.NewProvider{ParkID: e.world.Parks[i].ID, Name: fmt.Sprintf("第三方%d", i), Kind: "third_party"})
	if err != nil {
		t.Fatal(err)
	}
	submitter := identity.Scope{Role: identity.EntMember, EnterpriseID: e.world.Enterprises[i].ID, Username: username, Source: "test"}
	tk, err := svc.Submit(ctx, submitter, servicedesk.Request, servicedesk.NewTicket{CategoryID: "svc-repair", UnitID: e.world.Units[i][0].ID,
		Title: "漏水", Body: "卫生间漏水"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Attach(ctx, submitter, tk.ID, "note.txt", []byte("漏水位置：卫生间"))
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID, a.ID, p.ID
}

// billed leases a new 50 m² unit of park i to enterprise i for 2025 (a month's deposit), bills it on 10
// February 2025 and records 100 元 paid; it returns an issued bill's, the payment's and the
// contract's ids.
func billed(t *testing.T, e *env, i int) (bill, payment, contract string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	n := time.Now().UnixNano()
	unit, err := storetest.SpaceOf(e.store).CreateUnit(ctx, sys, space.Unit{FloorID: e.world.Floors[i].ID, Code: fmt.Sprintf("B-%d", n), Kind: space.KindOffice,
		GrossArea: measure.AreaM2(50), Leasable: true, ValidFrom: civil.Of(2024, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	k, err := storetest.ContractsOf(e.store).Create(ctx, sys, leasing.Contract{Number: fmt.Sprintf("HT-BILL-%d-%d", i, n),
		EnterpriseID: e.world.Enterprises[i].ID, StartOn: civil.Of(2025, 1, 1), EndOn: civil.Of(2025, 12, 31), Price: 30000, PaymentCycle: 1,
		DepositMonths: 1, Status: leasing.Active, Units: []leasing.ContractUnit{{UnitID: unit.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	svc := e.api.svc.Billing
	run, err := svc.RunBilling(ctx, sys, billing.Run{ParkID: e.world.Parks[i].ID, BillingDate: civil.Of(2025, 2, 10), Issue: true})
	if err != nil || len(run.Bills) == 0 {
		t.Fatalf("billing run: %v", err)
	}
	var deposit string
	for _, l := range run.Bills[0].Lines {
		if l.SourceID == k.ID && l.ChargeType == "deposit" {
			deposit = l.ID
		}
	}
	p, err := svc.RecordPayment(ctx, sys, billing.NewPayment{EnterpriseID: e.world.Enterprises[i].ID, ParkID: e.world.Parks[i].ID,
		PaidOn: civil.Of(2025, 2, 11), Amount: 10000, Method: "bank", Allocations: []billing.AllocationFor{{LineID: deposit, Amount: 10000}}})
	if err != nil {
		t.Fatal(err)
	}
	return run.Bills[0].ID, p.ID, k.ID
}
