package demo

import (
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// moment is a clock stopped at an instant: last year's events are scheduled, attended and
// checked in on their own days.
type moment time.Time

func (m moment) Today() civil.Date { return civil.FromTime(time.Time(m)) }
func (m moment) Now() time.Time    { return time.Time(m).UTC() }

// events gives 四季青 a year of events in its roadshow hall — a forum, a roadshow, a training
// and a park visit in turn, once a month — each registered for by the park's enterprises and
// their guests and checked in at the door, with the no-shows that follow; and three to come:
// a roadshow open to all that the demo tenant has not registered for yet, a full training with
// a waiting list, and a forum for the park's tenants; and an open week under way.
func (l *loader) events(sjq, tenant string) error {
	rs, err := l.sv.Bookings.Resources(l.ctx, l.sys, sjq)
	if err != nil {
		return err
	}
	hall := ""
	for _, r := range rs {
		if r.Code == "RH-1" {
			hall = r.ID
		}
	}
	ents, err := l.sv.Enterprise.ListEnterprises(l.ctx, l.sys, enterprise.Filter{ParkID: sjq}, page.Request{Sort: "name", Limit: 40})
	if err != nil {
		return err
	}
	staff := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{sjq}, Username: "operator", Source: "system"}
	titles := []struct{ kind, title string }{
		{"forum", "生命科学产业创新论坛"}, {"roadshow", "创新药项目投融资路演"}, {"training", "GMP 合规与质量体系培训"}, {"park_visit", "四季青园区行·走进 CGT 平台"},
	}
	start := func(d civil.Date) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, civil.Shanghai)
	}
	for m := 12; m >= 1; m-- {
		first := civil.Of(l.today.Year(), l.today.Month(), 1).AddMonths(-m)
		day := first.AddDays(9)
		for day.ISOWeekday() != 4 {
			day = day.AddDays(1)
		}
		t := titles[m%len(titles)]
		at := l.sv.On(moment(start(day).AddDate(0, 0, -20)))
		var e event.Event
		for try := 0; try < 5; try, day = try+1, day.AddDays(1) {
			e, err = at.Events.CreateEvent(l.ctx, staff, event.NewEvent{ParkID: sjq, Title: fmt.Sprintf("%s（%d 月）", t.title, int(day.Month())), Kind: t.kind,
				StartsAt: start(day), EndsAt: start(day).Add(2 * time.Hour), ResourceID: hall, Capacity: 30 + 10*(m%3), Audience: "open", Waitlist: true,
				Description: "演示活动：园区与企业、投资机构、高校交流。（演示）"})
			if err == nil {
				break
			}
		}
		if err != nil {
			return fmt.Errorf("demo event %s: %w", t.title, err)
		}
		var codes []string
		for i, ent := range ents.Items {
			if (i+m)%3 == 0 {
				continue
			}
			// The enterprise's representative, registered by the park; the demo tenant's own user
			// registers itself.
			who, in := staff, event.NewRegistration{GuestName: fmt.Sprintf("参会代表 %d（演示）", i+1), GuestOrg: ent.Name}
			if ent.ID == tenant {
				who, in = identity.Scope{Role: identity.EntAdmin, EnterpriseID: tenant, Username: "tenant", Source: "system"}, event.NewRegistration{}
			}
			r, err := at.Events.Register(l.ctx, who, e.ID, in)
			if err != nil {
				return fmt.Errorf("demo registration: %w", err)
			}
			codes = append(codes, r.Code)
		}
		for g := range 3 {
			r, err := at.Events.Register(l.ctx, staff, e.ID, event.NewRegistration{GuestName: []string{"张老师", "李经理", "王研究员"}[g],
				GuestOrg: []string{"北京某大学（演示）", "某投资机构（演示）", "某研究院（演示）"}[g], GuestPhone: "010-8888000" + fmt.Sprint(g)})
			if err != nil {
				return err
			}
			codes = append(codes, r.Code)
		}
		door := l.sv.On(moment(start(day).Add(-10 * time.Minute)))
		for i, c := range codes {
			if (i+m)%5 == 0 {
				continue // did not come
			}
			if _, err := door.Events.CheckIn(l.ctx, staff, e.ID, event.CheckIn{Code: c}); err != nil {
				return err
			}
		}
	}
	return l.upcomingEvents(sjq, hall, ents.Items, staff)
}

// upcomingEvents are the three events to come and the open week under way.
func (l *loader) upcomingEvents(sjq, hall string, ents []enterprise.Enterprise, staff identity.Scope) error {
	next := func(n int) time.Time {
		d := l.today.AddDays(n)
		for d.ISOWeekday() > 5 {
			d = d.AddDays(1)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, civil.Shanghai)
	}
	plans := []event.NewEvent{
		{ParkID: sjq, Title: "细胞与基因治疗项目路演（演示）", Kind: "roadshow", StartsAt: next(8), EndsAt: next(8).Add(3 * time.Hour), ResourceID: hall,
			Capacity: 60, Audience: "open", Waitlist: true, Description: "十个 CGT 项目向投资机构路演，欢迎园区内外企业报名。（演示）"},
		{ParkID: sjq, Title: "医疗器械注册申报实务培训（演示）", Kind: "training", StartsAt: next(15), EndsAt: next(15).Add(2 * time.Hour), ResourceID: hall,
			Capacity: 3, Audience: "tenants", Waitlist: true, Description: "小班培训，名额有限，满员后候补。（演示）"},
		{ParkID: sjq, Title: "四季青园区企业家沙龙（演示）", Kind: "forum", StartsAt: next(22), EndsAt: next(22).Add(2 * time.Hour), Location: "A 座一层咖啡厅",
			Capacity: 40, Audience: "tenants", Description: "园区企业交流。（演示）"},
	}
	// The open week runs from yesterday to tomorrow, so its door is open whenever the demo runs.
	yesterday := l.today.AddDays(-1)
	week := time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 9, 0, 0, 0, civil.Shanghai)
	if _, err := l.sv.On(moment(week.AddDate(0, 0, -7))).Events.CreateEvent(l.ctx, staff, event.NewEvent{ParkID: sjq,
		Title: "四季青科技成果开放周（演示）", Kind: "park_visit", StartsAt: week, EndsAt: week.Add(57 * time.Hour), Location: "A 座一层展厅",
		Capacity: 200, Audience: "open", Description: "园区企业成果展示，每天 09:00–18:00 开放，凭签到码入场。（演示）"}); err != nil {
		return fmt.Errorf("demo open week: %w", err)
	}
	for i, p := range plans {
		e, err := l.sv.Events.CreateEvent(l.ctx, staff, p)
		if err != nil {
			return fmt.Errorf("demo event %s: %w", p.Title, err)
		}
		if i != 1 {
			continue
		}
		for j, ent := range ents[1:6] { // the training fills and its waiting list forms
			in := event.NewRegistration{GuestName: fmt.Sprintf("学员 %d（演示）", j+1), GuestOrg: ent.Name}
			if _, err := l.sv.Events.Register(l.ctx, staff, e.ID, in); err != nil {
				return err
			}
		}
	}
	return nil
}
