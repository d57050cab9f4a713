package demo

import (
	"fmt"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
)

// reports collects two quarters of statistics from the park's enterprises: Q2 2026 all
// approved, Q3 2026 in progress — some approved, some waiting for review, some returned, some
// not yet filed, and the demo tenant's own left for the tenant to fill in.
func (l *loader) reports(parkID, tenant string) error {
	ents, err := l.sv.Enterprise.ListEnterprises(l.ctx, l.sys, enterprise.Filter{ParkID: parkID}, page.Request{Sort: "name", Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	manager := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{parkID}, Username: "demo", Source: "system"}
	for q, deadline := range map[int]civil.Date{2: civil.Of(2026, 7, 20), 3: civil.Of(2026, 12, 10)} {
		if _, err := l.sv.Stats.OpenPeriod(l.ctx, manager, stats.Period{ParkID: parkID, Kind: stats.Quarterly, Year: 2026, Seq: q, Deadline: deadline}); err != nil {
			return fmt.Errorf("demo period 2026Q%d: %w", q, err)
		}
	}
	periods, err := l.sv.Stats.ListPeriods(l.ctx, l.sys, stats.PeriodFilter{ParkID: parkID}, page.Request{Sort: "end_on"})
	if err != nil {
		return err
	}
	q2, q3 := periods.Items[0].ID, periods.Items[1].ID
	staff := 0
	for _, e := range ents.Items {
		staff += e.Employees
	}
	for i, e := range ents.Items {
		filer := identity.Scope{Role: identity.EntAdmin, EnterpriseID: e.ID, Username: "demo", Source: "system"}
		base := quarterFigures(i, e, float64(e.Employees)/float64(staff), annualPlans["SJQ"])
		if err := l.file(filer, manager, q2, e.ID, base, "approve"); err != nil {
			return err
		}
		if e.ID == tenant {
			continue
		}
		next := grown(base, 100+int64(i%7)*3)
		step := []string{"approve", "submit", "return", ""}[i%4]
		if err := l.file(filer, manager, q3, e.ID, next, step); err != nil {
			return err
		}
	}
	return nil
}

// file takes one enterprise's report for a period as far as step: "" leaves it untouched,
// "submit" submits, "return" submits and has it returned, "approve" submits and approves.
func (l *loader) file(filer, manager identity.Scope, periodID, entID string, f stats.Figures, step string) error {
	if step == "" {
		return nil
	}
	rs, err := l.sv.Stats.ListReports(l.ctx, l.sys, stats.ReportFilter{PeriodID: periodID, EnterpriseID: entID}, page.Request{})
	if err != nil || len(rs.Items) != 1 {
		return fmt.Errorf("demo report of %s: %v", entID, err)
	}
	id := rs.Items[0].ID
	if _, err := l.sv.Stats.SubmitReport(l.ctx, filer, id, f, []string{"revenue_jump", "revenue_drop", "rd_above_revenue", "rd_staff_above_employees"}); err != nil {
		return fmt.Errorf("demo submission of %s: %w", entID, err)
	}
	switch step {
	case "approve":
		_, err = l.sv.Stats.ReviewReport(l.ctx, manager, id, true, "")
	case "return":
		_, err = l.sv.Stats.ReviewReport(l.ctx, manager, id, false, "研发人员人数请按全时当量口径填写 / count R&D staff as full-time equivalents")
	}
	return err
}

// quarterFigures are the i-th enterprise's figures for a quarter of 2026, consistent with its
// profile (its headcount) and with its park's annual figures (annualFigures): its share of the
// park's planned revenue, grown one more year, a quarter of it, R&D at the park's intensity.
func quarterFigures(i int, e enterprise.Enterprise, share float64, plan annualPlan) stats.Figures {
	revenue := int64(plan.revenue2025 * 1e10 * (1 + plan.growth) * share / 4) // 亿元 → fen
	employees := int64(e.Employees)
	return stats.Figures{
		"revenue":                   revenue,
		"rd_expense":                int64(float64(revenue) * plan.rd),
		"tax":                       revenue * 6 / 100,
		"employees":                 employees,
		"rd_staff":                  employees * int64(30+(i*7)%30) / 100,
		"invention_patents_granted": int64(float64(employees)*plan.patentsPer10/10000/4 + 0.5),
		"invention_patents_held":    int64(float64(employees)*plan.patentsPer10*4/10000 + 0.5),
	}
}

// grown scales the flows of a quarter's figures by pct/100 for the next quarter.
func grown(f stats.Figures, pct int64) stats.Figures {
	out := stats.Figures{}
	for k, v := range f {
		if m, _ := stats.MeasureOf(k); m.Flow && m.Money {
			v = v * pct / 100
		}
		out[k] = v
	}
	return out
}
