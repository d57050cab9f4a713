package demo

import (
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// weekdays opens a resource Monday to Friday (or every day) from one time to another.
func weekdays(from, to string, everyDay bool) []booking.Window {
	last := 5
	if everyDay {
		last = 7
	}
	var out []booking.Window
	for wd := 1; wd <= last; wd++ {
		out = append(out, booking.Window{Weekday: wd, From: from, To: to})
	}
	return out
}

// facilities gives 四季青 its shared platforms as the seeds describe them — a P2 lab room and
// its benches, a small animal room, CGT process instruments, meeting rooms and a roadshow hall —
// and 京西智谷 its public compute, shared with every park; two lab users of other enterprises
// (one certificate valid, one expired) and bookings awaiting approval, approved, rejected and
// cancelled (the demo starts today, so none is used yet: no charges). The demo tenant holds no
// P2 certificate: it asks the operator for one.
func (l *loader) facilities(parks map[string]string, sjq, tenant string) error {
	sjqPark := sjq
	p2 := booking.ResourceRules{Hours: weekdays("09:00", "18:00", false), SlotMinutes: 30, MinMinutes: 60, MaxMinutes: 240, LeadHours: 12,
		NeedsApproval: true, Certificate: "p2", CancelHours: 24, Quota: booking.Quota{Hours: 16, Per: "week"},
		Prices: booking.Prices{Member: measure.Yuan(120), NonMember: measure.Yuan(300), OtherPark: measure.Yuan(200)}, SharedWithParks: true}
	room := booking.ResourceRules{Hours: weekdays("08:00", "21:00", true), SlotMinutes: 30, MinMinutes: 30, MaxMinutes: 240, CancelHours: 2,
		Prices: booking.Prices{Member: 0, NonMember: measure.Yuan(150), OtherPark: measure.Yuan(100)}}
	instrument := booking.ResourceRules{Hours: weekdays("08:00", "20:00", false), SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 480, LeadHours: 24,
		NeedsApproval: true, Certificate: "cgt", CancelHours: 24, Quota: booking.Quota{Hours: 40, Per: "month"},
		Prices: booking.Prices{Member: measure.Yuan(180), NonMember: measure.Yuan(400), OtherPark: measure.Yuan(260)}, SharedWithParks: true}
	animal := p2
	animal.Certificate, animal.Prices = "animal", booking.Prices{Member: measure.Yuan(80), NonMember: measure.Yuan(200), OtherPark: measure.Yuan(150)}
	compute := booking.ResourceRules{Hours: weekdays("00:00", "24:00", true), SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 1440, CancelHours: 1,
		Quota: booking.Quota{Hours: 200, Per: "month"}, SharedWithParks: true,
		Prices: booking.Prices{Member: measure.Yuan(25), NonMember: measure.Yuan(60), OtherPark: measure.Yuan(35)}}
	made := map[string]booking.Resource{}
	for _, n := range []booking.NewResource{
		{ParkID: sjqPark, Code: "P2-A", Name: "P2 实验室 A 间", Kind: "p2_lab", Description: "生物安全二级实验室整间，含生物安全柜两台。", ResourceRules: p2},
		{ParkID: sjqPark, Code: "P2-A-01", Name: "P2 实验台 A-01", Kind: "p2_bench", ResourceRules: p2},
		{ParkID: sjqPark, Code: "P2-A-02", Name: "P2 实验台 A-02", Kind: "p2_bench", ResourceRules: p2},
		{ParkID: sjqPark, Code: "ANIMAL-1", Name: "小动物房（SPF 级）", Kind: "animal_room", ResourceRules: animal},
		{ParkID: sjqPark, Code: "CGT-FC", Name: "流式细胞仪（CGT 工艺平台）", Kind: "instrument", ResourceRules: instrument},
		{ParkID: sjqPark, Code: "CGT-BR", Name: "生物反应器（CGT 工艺平台）", Kind: "instrument", ResourceRules: instrument},
		{ParkID: sjqPark, Code: "MR-301", Name: "3 层会议室", Kind: "meeting_room", ResourceRules: room},
		{ParkID: sjqPark, Code: "RH-1", Name: "路演厅", Kind: "roadshow_hall", ResourceRules: room},
		{ParkID: parks["JXZG"], Code: "GPU-A", Name: "公共算力平台 GPU 节点（京西智谷）", Kind: "compute", Description: "按 GPU 小时计费，向各园区企业开放。", ResourceRules: compute},
	} {
		r, err := l.sv.Bookings.CreateResource(l.ctx, l.sys, n)
		if err != nil {
			return fmt.Errorf("demo resource %s: %w", n.Code, err)
		}
		made[n.Code] = r
	}
	ents, err := l.sv.Enterprise.ListEnterprises(l.ctx, l.sys, enterprise.Filter{ParkID: sjqPark}, page.Request{Sort: "name", Limit: 10})
	if err != nil {
		return err
	}
	var users []identity.Scope
	for i, e := range ents.Items {
		if e.ID == tenant || len(users) == 2 {
			continue
		}
		name := fmt.Sprintf("lab_user%d", len(users)+1)
		if _, err := l.sv.Accounts.CreateUserWithHash(l.ctx, l.sys, identity.UserInput{Username: name, DisplayName: e.Name + " 实验员（演示）",
			Role: identity.EntMember, EnterpriseID: e.ID}, passwordHash); err != nil {
			return err
		}
		expires := l.today.AddDays(365)
		if i%2 == 1 {
			expires = l.today.AddDays(-20) // expired: its holder is refused the lab
		}
		if _, err := l.sv.Bookings.IssueCertificate(l.ctx, l.sys, booking.NewCertificate{ParkID: sjqPark, Username: name, Kind: "p2",
			IssuedOn: l.today.AddDays(-400), ExpiresOn: expires}); err != nil {
			return err
		}
		users = append(users, identity.Scope{Role: identity.EntMember, EnterpriseID: e.ID, Username: name, Source: "system"})
	}
	l.labUsers = users
	if _, err := l.sv.Bookings.AddHoliday(l.ctx, l.sys, sjqPark, booking.Holiday{Day: civil.Of(l.today.Year()+1, 1, 1), Name: "元旦"}); err != nil {
		return err
	}
	// Bookings by the certified lab user and the demo tenant.
	day := func(n int) civil.Date {
		d := l.today.AddDays(n)
		for d.ISOWeekday() > 5 {
			d = d.AddDays(1)
		}
		return d
	}
	at := func(d civil.Date, h int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, civil.Shanghai)
	}
	tenantScope := identity.Scope{Role: identity.EntAdmin, EnterpriseID: tenant, Username: "tenant", Source: "system"}
	plans := []struct {
		by         identity.Scope
		code       string
		day, h, hs int
		steps      []string
	}{
		{users[0], "P2-A", 2, 9, 3, nil},
		{users[0], "P2-A-02", 4, 9, 2, []string{"reject"}},
		{users[0], "P2-A-01", 3, 14, 2, []string{"approve"}},
		{users[0], "CGT-FC", 4, 10, 2, nil},
		{tenantScope, "MR-301", 1, 10, 2, nil},
		{tenantScope, "RH-1", 5, 14, 3, nil},
		{tenantScope, "GPU-A", 1, 14, 6, nil},
		{users[0], "RH-1", 3, 9, 2, []string{"cancel"}},
		{users[0], "MR-301", 2, 15, 1, []string{"cancel"}},
	}
	for _, p := range plans {
		if p.code == "CGT-FC" {
			if _, err := l.sv.Bookings.IssueCertificate(l.ctx, l.sys, booking.NewCertificate{ParkID: sjqPark, Username: p.by.Username, Kind: "cgt",
				IssuedOn: l.today.AddDays(-30), ExpiresOn: l.today.AddDays(700)}); err != nil {
				return err
			}
		}
		d := day(p.day)
		res, err := l.sv.Bookings.Book(l.ctx, p.by, booking.NewBooking{ResourceID: made[p.code].ID, Start: at(d, p.h), End: at(d, p.h+p.hs)})
		if err != nil {
			return fmt.Errorf("demo booking of %s: %w", p.code, err)
		}
		for _, step := range p.steps {
			decider := l.sys
			if step == "cancel" {
				decider = p.by
			}
			reason := ""
			if step == "reject" {
				reason = "该时段安排设备维护（演示）"
			}
			if _, err := l.sv.Bookings.Decide(l.ctx, decider, res.Booked[0].ID, booking.Decision{Action: step, Reason: reason}); err != nil {
				return fmt.Errorf("demo booking %s %s: %w", p.code, step, err)
			}
		}
	}
	return nil
}
