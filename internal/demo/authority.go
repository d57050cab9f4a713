package demo

import (
	"fmt"
	"math"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/stats"
)

// annualPlan shapes a park's annual figures: its revenue in 2025 (亿元), last year's growth,
// R&D intensity and invention patents granted per 10,000 staff — the featured parks near the
// seeds' figures (28 %, 12 %, 524), the rest well below.
type annualPlan struct {
	revenue2025  float64
	growth, rd   float64
	patentsPer10 float64
	tier         pool.Tier
	featured     bool
}

var annualPlans = map[string]annualPlan{
	"SJQ":     {revenue2025: 12, growth: 0.10, rd: 0.08, patentsPer10: 150, tier: pool.Reserve},
	"ZGC-LSP": {revenue2025: 1100, growth: 0.08, rd: 0.03, patentsPer10: 80, tier: pool.Key},
	"BIOPARK": {revenue2025: 95, growth: 0.05, rd: 0.05, patentsPer10: 120, tier: pool.Planning},
	"DX-CGT":  {revenue2025: 150, growth: 0.30, rd: 0.14, patentsPer10: 560, tier: pool.Key, featured: true},
	"JXZG":    {revenue2025: 220, growth: 0.32, rd: 0.13, patentsPer10: 610, tier: pool.Key, featured: true},
	"ZGC-DS":  {revenue2025: 110, growth: 0.26, rd: 0.11, patentsPer10: 500, tier: pool.Reserve, featured: true},
	"JY-ZZ":   {revenue2025: 130, growth: 0.27, rd: 0.10, patentsPer10: 470, tier: pool.Reserve, featured: true},
	"ZGC-LA":  {revenue2025: 300, growth: 0.29, rd: 0.12, patentsPer10: 520, tier: pool.Key, featured: true},
	"FS-H2":   {revenue2025: 420, growth: 0.24, rd: 0.12, patentsPer10: 540, tier: pool.Reserve, featured: true},
}

// authority gives the authority something to steer: every demo park in the pool with its tier
// history, the featured parks recognised for 2024 and 2025, five years of approved annual
// figures that follow each park's plan, and the seed's 昌平 goals.
func (l *loader) authority(parks map[string]string) error {
	for code, parkID := range parks {
		if err := l.pooled(parkID, annualPlans[code]); err != nil {
			return fmt.Errorf("demo pool %s: %w", code, err)
		}
	}
	if err := l.annualFigures(parks); err != nil {
		return fmt.Errorf("demo annual figures: %w", err)
	}
	if err := l.offPlatformPool(); err != nil {
		return err
	}
	return l.seedGoals()
}

func (l *loader) pooled(parkID string, plan annualPlan) error {
	first := pool.Planning
	if _, err := l.sv.Pool.Enter(l.ctx, l.sys, pool.NewEntry{ParkID: parkID, EnteredOn: civil.Of(2021, 3, 1), Tier: first, Reason: "首批入库（演示）"}); err != nil {
		return err
	}
	if plan.tier != first {
		if _, err := l.sv.Pool.ChangeTier(l.ctx, l.sys, parkID, pool.TierDecision{Tier: plan.tier, EffectiveOn: civil.Of(2024, 1, 1),
			Reason: "2023 年度评价结果（演示）"}); err != nil {
			return err
		}
	}
	if plan.featured {
		for _, y := range []int{2024, 2025} {
			if _, err := l.sv.Pool.Recognise(l.ctx, l.sys, parkID, pool.Recognition{Year: y}); err != nil {
				return err
			}
		}
	}
	return nil
}

// annualFigures opens the authority's annual periods of 2021–2025 over every park, files
// each enterprise's figures — its share, by headcount, of its park's planned revenue, with its
// own headcount — in one import per year, and approves them all.
func (l *loader) annualFigures(parks map[string]string) error {
	type member struct {
		e    enterprise.Enterprise
		plan annualPlan
		// share of its park's revenue
		share float64
	}
	var members []member
	for code, parkID := range parks {
		ents, err := l.sv.Enterprise.ListEnterprises(l.ctx, l.sys, enterprise.Filter{ParkID: parkID}, page.Request{Sort: "name", Limit: page.MaxLimit})
		if err != nil {
			return err
		}
		staff := 0
		for _, e := range ents.Items {
			staff += e.Employees
		}
		for _, e := range ents.Items {
			members = append(members, member{e, annualPlans[code], float64(e.Employees) / float64(staff)})
		}
	}
	for year := 2021; year <= 2025; year++ {
		p, err := l.sv.Stats.OpenPeriod(l.ctx, l.sys, stats.Period{Kind: stats.Annual, Year: year, Deadline: civil.Of(year+1, 4, 30)})
		if err != nil {
			return err
		}
		rows := make([]stats.ImportRow, len(members))
		for i, m := range members {
			total := m.plan.revenue2025 * 1e10 / math.Pow(1+m.plan.growth, float64(2025-year)) // 亿元 → fen
			revenue, employees := int64(total*m.share), int64(m.e.Employees)
			rows[i] = stats.ImportRow{Row: i + 3, CreditCode: m.e.CreditCode, Submit: true, Figures: stats.Figures{
				"revenue": revenue, "industrial_output": revenue * 2 / 5, "rd_expense": int64(float64(revenue) * m.plan.rd), "tax": revenue * 6 / 100,
				"employees": employees, "rd_staff": employees * 2 / 5,
				"invention_patents_granted": int64(float64(employees)*m.plan.patentsPer10/10000 + 0.5),
				"invention_patents_held":    int64(float64(employees)*m.plan.patentsPer10*4/10000 + 0.5)}}
		}
		if _, problems, err := l.sv.Stats.ImportReports(l.ctx, l.sys, p.ID, rows, false); err != nil || len(problems) > 0 {
			return fmt.Errorf("annual %d: %v %v", year, err, problems)
		}
		if _, err := l.sv.Stats.ApproveSubmitted(l.ctx, l.sys, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// seedGoals are 昌平's 三个翻一番 from the seeds: revenue 739 → 1500 亿, output 282 → 600 亿, R&D
// 51 → 100 亿 (2021 → 2025), with 2022's published 800 亿 and 304 亿 recorded.
func (l *loader) seedGoals() error {
	for _, g := range []struct {
		name, indicator  string
		baseline, target float64
		actual2022       float64
	}{
		{"昌平 三个翻一番：营业收入", "revenue", 739, 1500, 800},
		{"昌平 三个翻一番：工业总产值", "industrial_output", 282, 600, 304},
		{"昌平 三个翻一番：研发投入", "rd_expense", 51, 100, 0},
	} {
		goal, err := l.sv.Goals.Create(l.ctx, l.sys, goals.NewGoal{Name: g.name, Indicator: g.indicator, Group: "district:昌平区",
			BaselineYear: 2021, BaselineValue: g.baseline, TargetYear: 2025, TargetValue: g.target})
		if err != nil {
			return err
		}
		if g.actual2022 > 0 {
			if _, err := l.sv.Goals.RecordActual(l.ctx, l.sys, goal.ID, goals.RecordedActual{Year: 2022, Value: g.actual2022}); err != nil {
				return err
			}
		}
	}
	return nil
}
