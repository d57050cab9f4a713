package demo

import (
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
)

// instant is a clock stopped at one instant: the demo files its past requests at their time.
type instant time.Time

func (c instant) Today() civil.Date { return civil.FromTime(time.Time(c)) }
func (c instant) Now() time.Time    { return time.Time(c).UTC() }

// services gives 北京四季青 its service desk: a property team of the operator and the service
// desk, third-party providers with priced offerings, a repair category routed to the team, and
// six months of requests in every state — answered on time or late, rated, reopened, one
// escalated to the authority as the park's demand.
func (l *loader) services(sjq, tenant string) error {
	sv, sys := l.sv.Services, l.sys
	team, err := sv.AddProvider(l.ctx, sys, servicedesk.NewProvider{ParkID: sjq, Name: "物业工程部", Kind: "team", Contact: "010-8888 6666",
		Members: []string{"operator", "service_desk"}})
	if err != nil {
		return fmt.Errorf("demo provider: %w", err)
	}
	offers := map[string]servicedesk.Offering{}
	for _, p := range []struct {
		name, contact, platform, offering string
		price                             measure.Money
		unit                              string
		lead                              int
	}{
		{"中关村知识产权代理事务所（演示）", "010-6211 0000", "ip", "发明专利申请代理", measure.Yuan(3000), "item", 30},
		{"海淀律师事务所（演示）", "010-6212 0000", "legal", "合同审查", measure.Yuan(800), "item", 3},
		{"四季青财税服务公司（演示）", "010-6213 0000", "accounting", "代理记账", measure.Yuan(500), "month", 5},
		{"科创人力资源服务中心（演示）", "010-6214 0000", "hr", "高端人才寻访", measure.Yuan(20000), "item", 45},
	} {
		pr, err := sv.AddProvider(l.ctx, sys, servicedesk.NewProvider{ParkID: sjq, Name: p.name, Kind: "third_party", Contact: p.contact})
		if err != nil {
			return err
		}
		o, err := sv.AddOffering(l.ctx, sys, servicedesk.NewOffering{ProviderID: pr.ID, Platform: p.platform, Name: p.offering, Price: p.price,
			PriceUnit: p.unit, LeadDays: p.lead})
		if err != nil {
			return err
		}
		offers[p.platform] = o
	}
	repair, err := sv.AddCategory(l.ctx, sys, servicedesk.NewCategory{ParkID: sjq, Code: "repair", NameZh: "物业报修", NameEn: "Property repair",
		Platform: "property", ResponseHours: 2, ResolutionHours: 8, ProviderID: team.ID, NeedsUnit: true})
	if err != nil {
		return err
	}
	// The park's closed days of 2026 (法定节假日), so that the SLA clocks skip them.
	var holidays []booking.Holiday
	for _, h := range []struct {
		name     string
		from, to civil.Date
	}{
		{"春节", civil.Of(2026, 2, 16), civil.Of(2026, 2, 22)}, {"清明节", civil.Of(2026, 4, 4), civil.Of(2026, 4, 6)},
		{"劳动节", civil.Of(2026, 5, 1), civil.Of(2026, 5, 5)}, {"端午节", civil.Of(2026, 6, 19), civil.Of(2026, 6, 21)},
		{"中秋节", civil.Of(2026, 9, 25), civil.Of(2026, 9, 27)}, {"国庆节", civil.Of(2026, 10, 1), civil.Of(2026, 10, 7)},
	} {
		for d := h.from; !d.After(h.to); d = d.AddDays(1) {
			holidays = append(holidays, booking.Holiday{Day: d, Name: h.name})
		}
	}
	if err := l.sv.Bookings.AddHolidays(l.ctx, sys, sjq, holidays); err != nil {
		return err
	}
	askers := append([]identity.Scope{{Role: identity.EntAdmin, EnterpriseID: tenant, Username: "tenant", Source: "system"}}, l.labUsers...)
	// Each asker reports repairs of the units its enterprise occupies.
	units := make([][]string, len(askers))
	for i, a := range askers {
		own, err := l.sv.Space.ListUnits(l.ctx, a, space.UnitFilter{}, page.Request{Limit: 5})
		if err != nil {
			return err
		}
		for _, u := range own.Items {
			units[i] = append(units[i], u.ID)
		}
	}
	staff := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{sjq}, Username: "operator", Source: "system"}
	type plan struct {
		ago      int // days before today it was filed, at 10:00
		category string
		offering string
		title    string
		// steps: hours after filing each is taken (assign, start, resolve), then the rating
		// (0: none); a negative step is skipped.
		assign, resolve float64
		rating          int
	}
	plans := []plan{
		{170, repair.ID, "", "会议室投影仪无法开机", 1, 5, 5},
		{160, "svc-patent", "ip", "申请一项基因编辑方法专利", 4, 30, 4},
		{150, repair.ID, "", "实验室排风柜风量不足", 3, 12, 3},
		{140, "svc-legal", "legal", "技术许可合同审查", 2, 20, 5},
		{120, "svc-accounting", "accounting", "季度代理记账", 6, 40, 4},
		{110, repair.ID, "", "卫生间漏水", 1, 4, 5},
		{95, "svc-recruiting", "hr", "招聘首席科学家", 10, 80, 3},
		{80, repair.ID, "", "门禁卡无法刷开 3 层", 0.5, 2, 4},
		{70, "svc-policy", "", "高新技术企业认定政策咨询", 3, 10, 5},
		{55, repair.ID, "", "空调不制冷", 1, 9, 2},
		{40, "svc-financing", "", "寻求 A 轮融资对接", 12, 60, 4},
		{25, repair.ID, "", "实验室纯水机报警", 1, 6, 0},
		{12, "svc-data", "", "申请公共算力平台账号", 2, 8, 0},
		{3, repair.ID, "", "走廊照明损坏", 1, -1, 0},
		{2, "svc-legal", "legal", "劳动合同模板审查", 1, -1, 0},
		{1, repair.ID, "", "电梯异响", -1, -1, 0},
	}
	for i, p := range plans {
		d := l.today.AddDays(-p.ago)
		filed := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, civil.Shanghai)
		if p.ago < 2 {
			filed = l.sv.Clock.Now().Add(-time.Duration(p.ago*24+1) * time.Hour)
		}
		at := func(hours float64) *servicedesk.Service {
			return sv.WithClock(instant(filed.Add(time.Duration(hours * float64(time.Hour)))))
		}
		asker := askers[i%len(askers)]
		n := servicedesk.NewTicket{CategoryID: p.category, Title: p.title, Body: p.title + "，请协助处理。"}
		if mine := units[i%len(askers)]; p.category == repair.ID && len(mine) > 0 {
			n.UnitID = mine[i%len(mine)]
		} else if p.category == repair.ID {
			n.CategoryID = "svc-cleaning" // an enterprise with no unit of its own asks the property service without one
		}
		if p.offering != "" {
			n.OfferingID = offers[p.offering].ID
		}
		t, err := at(0).Submit(l.ctx, asker, servicedesk.Request, n)
		if err != nil {
			return fmt.Errorf("demo request %q: %w", p.title, err)
		}
		if p.assign >= 0 {
			if _, err := at(p.assign).Act(l.ctx, staff, t.ID, servicedesk.Action{Action: "assign", Assignee: []string{"operator", "service_desk"}[i%2]}); err != nil {
				return err
			}
		}
		if p.title == "高新技术企业认定政策咨询" {
			if _, err := at(p.assign+1).Act(l.ctx, staff, t.ID, servicedesk.Action{Action: "escalate", CategoryID: "dem-policy",
				Note: "企业对研发费用归集口径有疑问，请管委会答复"}); err != nil {
				return err
			}
		}
		if p.title == "走廊照明损坏" {
			if _, err := at(p.assign+0.5).Act(l.ctx, staff, t.ID, servicedesk.Action{Action: "start"}); err != nil {
				return err
			}
		}
		if p.resolve >= 0 {
			if _, err := at(p.resolve).Act(l.ctx, staff, t.ID, servicedesk.Action{Action: "resolve", Note: "已处理完毕（演示）"}); err != nil {
				return err
			}
		}
		if p.rating > 0 {
			if _, err := at(p.resolve+20).Rate(l.ctx, asker, t.ID, servicedesk.Rating{Rating: p.rating}); err != nil {
				return err
			}
		}
		if p.title == "空调不制冷" {
			if _, err := at(p.resolve+30).Act(l.ctx, asker, t.ID, servicedesk.Action{Action: "reopen", Note: "第二天又不制冷了"}); err != nil {
				return err
			}
		}
	}
	return nil
}
