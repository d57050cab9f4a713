package demo

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/policy"
)

// rule reads a condition written as JSON (the demo's rules are constants).
func rule(js string) policy.Condition {
	var c policy.Condition
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		panic(err)
	}
	return c
}

// policies publishes seed-style support policies — an industry support measure of the
// free-trade zone, a high-quality park fund granted without applying (免申即享), a rent subsidy
// for the incubated companies of 四季青 and a talent subsidy — and takes their applications
// through every state, so that about 1亿元 is paid to about seventy enterprises. The demo
// tenant is left eligible for the industry measure without having applied.
func (l *loader) policies(sjq, tenant string) error {
	for { // the enterprises' years of figures, as the matcher reads them
		n, err := l.sv.Policies.Refresh(l.ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	authority := identity.Scope{Role: identity.Authority, Username: "authority", Source: "system"}
	manager := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{sjq}, Username: "operator", Source: "system"}
	year := civil.Of(2026, 1, 1)
	plans := []struct {
		by identity.Scope
		in policy.NewPolicy
	}{
		{authority, policy.NewPolicy{Title: "中关村高端产业片区产业支持措施（演示）", TitleEn: "Industry support measures of the free-trade zone (demo)",
			Issuer: "中关村科技园区管理委员会", DocNumber: "中科园发〔2026〕12号（演示）", ValidFrom: year, ValidTo: civil.Of(2027, 12, 31), Benefit: "subsidy",
			Amount: policy.AmountRule{Kind: "bands", Measure: "revenue", Bands: []policy.Band{{From: 0, Amount: measure.Yuan(800_000)},
				{From: measure.Yuan(500_000_000), Amount: measure.Yuan(1_500_000)}, {From: measure.Yuan(2_000_000_000), Amount: measure.Yuan(2_500_000)}}},
			Scope: policy.Coverage{Kind: "all"},
			Eligibility: rule(`{"op":"and","of":[{"op":"or","of":[{"fact":"industry","op":"in","value":["27","35","65","73"]},{"fact":"chain_node","op":"in","value":["biomed.mid.biologics","meddev.mid.imaging","cgt.mid.cart"]}]},
				{"fact":"rd_intensity","op":"gte","value":"3"},{"fact":"qualification","op":"has","value":["high_tech","specialized_sme","little_giant"]}]}`),
			Text: "对高端产业片区内研发投入强度不低于 3%、具有国家高新技术企业或专精特新资质的企业，按上一年度营业收入分档给予支持。（演示文本）"}},
		{authority, policy.NewPolicy{Title: "高质量园区发展资金·免申即享（演示）", TitleEn: "High-quality park fund, granted without applying (demo)",
			Issuer: "中关村科技园区管理委员会", DocNumber: "中科园发〔2026〕18号（演示）", ValidFrom: year, Benefit: "fund", AutoGrant: true,
			Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(1_500_000)}, Scope: policy.Coverage{Kind: "all"},
			Eligibility: rule(`{"op":"and","of":[{"fact":"revenue_growth","op":"gte","value":"5"},{"fact":"employees","op":"gte","value":10},
				{"op":"not","of":[{"fact":"stage","op":"in","value":["moved_out"]}]}]}`),
			Text: "上一年度营业收入增长 5% 以上、从业人员 10 人以上的在园企业，免申即享发展资金。（演示文本）"}},
		{manager, policy.NewPolicy{OwnerParkID: sjq, Title: "孵化企业租金补贴（演示）", TitleEn: "Rent subsidy for incubated companies (demo)",
			Issuer: "北京四季青生命科技园运营方", ValidFrom: year, ValidTo: civil.Of(2026, 12, 31), Benefit: "rent_subsidy",
			Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(300_000)}, Scope: policy.Coverage{Kind: "parks", ParkIDs: []string{sjq}},
			Eligibility: rule(`{"op":"or","of":[{"fact":"stage","op":"in","value":["incubating"]},{"fact":"qualification","op":"has","value":["incubating"]}]}`),
			Text:        "在孵企业入驻期间按年给予租金补贴。（演示文本）"}},
		{authority, policy.NewPolicy{Title: "海聚人才创业补贴（演示）", TitleEn: "Talent founders' subsidy (demo)",
			Issuer: "中关村科技园区管理委员会", ValidFrom: year, Benefit: "talent",
			Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(500_000)}, Scope: policy.Coverage{Kind: "all"},
			Eligibility: rule(`{"op":"and","of":[{"op":"or","of":[{"fact":"scientist_founded","op":"is","value":true},{"fact":"returnee_founded","op":"is","value":true}]},
				{"fact":"employees","op":"gte","value":20}]}`),
			Text: "知名科学家或海外归国人才创办、从业人员 20 人以上的企业给予创业补贴。（演示文本）"}},
	}
	for i, plan := range plans {
		p, err := l.sv.Policies.CreatePolicy(l.ctx, plan.by, plan.in)
		if err != nil {
			return fmt.Errorf("demo policy %s: %w", plan.in.Title, err)
		}
		if _, err := l.sv.Policies.Publish(l.ctx, plan.by, p.ID); err != nil {
			return err
		}
		if err := l.takeUp(p, plan.by, tenant, i); err != nil {
			return fmt.Errorf("demo applications of %s: %w", p.Title, err)
		}
	}
	return nil
}

// takeUp takes a policy's eligible enterprises through the application states, by their place
// in the list: most approved and paid (some in instalments), and a few drafted, submitted,
// under review, rejected or withdrawn; a 免申即享 policy's grants are confirmed but a few.
func (l *loader) takeUp(p policy.Policy, reviewer identity.Scope, tenant string, n int) error {
	m, err := l.sv.Policies.Matches(l.ctx, reviewer, p.ID, policy.MatchQuery{Limit: 200})
	if err != nil {
		return err
	}
	// Applications were made and decided on 1 March and paid from then on; 免申即享 grants,
	// proposed when the policy was published, are confirmed and paid today.
	decided := time.Date(2026, 3, 1, 10, 0, 0, 0, civil.Shanghai)
	if decided.After(l.sv.Clock.Now()) {
		decided = l.sv.Clock.Now()
	}
	back := l.sv.On(moment(decided))
	paid := func(id string, amount measure.Money, i int) error {
		on := civil.Of(2026, time.Month(3+i%8), 10+i%15)
		if on.After(l.today) || p.AutoGrant || on.Before(civil.FromTime(decided)) {
			on = l.today
		}
		if i%6 == 5 { // an instalment now, the rest later
			amount /= 2
		}
		_, err := l.sv.Policies.Disburse(l.ctx, reviewer, id, policy.NewDisbursement{PaidOn: on, Amount: amount, Reference: fmt.Sprintf("BK2026%04d", i+1)})
		return err
	}
	for i, match := range m.Items {
		if p.AutoGrant {
			if i%9 == 8 {
				continue // left for a reviewer to confirm
			}
			a, err := l.sv.Policies.Act(l.ctx, reviewer, match.Application, policy.AppAction{Action: "confirm"})
			if err != nil {
				return err
			}
			if i%7 != 6 { // the rest paid later
				if err := paid(a.ID, a.Approved, i); err != nil {
					return err
				}
			}
			continue
		}
		if match.EnterpriseID == tenant && n == 0 {
			continue // the tenant finds this one and applies
		}
		applicant := identity.Scope{Role: identity.EntAdmin, EnterpriseID: match.EnterpriseID, Username: "demo", Source: "system"}
		step := []string{"draft", "submitted", "under_review", "rejected", "withdrawn", "paid", "paid", "paid", "paid", "paid", "approved", "paid"}[(i+n)%12]
		a, err := back.Policies.Apply(l.ctx, applicant, policy.NewApplication{PolicyID: p.ID, Statement: "按政策要求申报，材料齐全。（演示）", Submit: step != "draft"})
		if err != nil {
			return err
		}
		var act []policy.AppAction
		switch step {
		case "under_review":
			act = []policy.AppAction{{Action: "review"}}
		case "rejected":
			act = []policy.AppAction{{Action: "review"}, {Action: "reject", Reason: "研发费用归集口径不符合要求（演示）"}}
		case "approved", "paid":
			act = []policy.AppAction{{Action: "review"}, {Action: "approve"}}
		}
		by := reviewer
		if step == "withdrawn" {
			by, act = applicant, []policy.AppAction{{Action: "withdraw"}}
		}
		for _, x := range act {
			if a, err = back.Policies.Act(l.ctx, by, a.ID, x); err != nil {
				return err
			}
		}
		if step == "paid" {
			if err := paid(a.ID, a.Approved, i); err != nil {
				return err
			}
		}
	}
	return nil
}
