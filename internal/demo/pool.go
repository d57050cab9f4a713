package demo

import (
	"fmt"
	"math"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
)

// offPlatformParks is how many pooled parks the demo has besides its own nine: parks whose
// operators are not on ParkOS, known to the authority by their park-level figures (§6).
const offPlatformParks = 60

var (
	poolDistricts = []string{"海淀区", "朝阳区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "东城区"}
	poolThemes    = []string{"人工智能", "集成电路", "医药健康", "智能网联汽车", "新材料", "绿色能源", "数字经济", "航空航天", "机器人", "科技服务", "文化科技", "智能制造"}
)

// offPlatformPlan is one such park: its land, its figures' plan (like annualPlan) and its place in
// the pool. One park in seven is featured and judged like the seeds' featured parks (growth near
// 28 %, 地均产出 near 886 亿元/km², R&D intensity near 12 %, about 524 patents per 10,000 staff);
// the rest grow near 7 % with about a sixth of the land output, as the seeds compare them.
type offPlatformPlan struct {
	code, name, district string
	landKm2              float64
	annualPlan
}

func offPlatformPlans() []offPlatformPlan {
	var out []offPlatformPlan
	tiers := []pool.Tier{pool.Key, pool.Reserve, pool.Planning}
	for i := range offPlatformParks {
		district, theme := poolDistricts[i%len(poolDistricts)], poolThemes[(i*7)%len(poolThemes)]
		// 0 … 1, well spread over the parks (fractions of multiples of the golden ratio and of
		// √2), so parks of a kind differ in size and in figures independently.
		spread, size := math.Mod(float64(i)*0.6180339887, 1), math.Mod(float64(i)*0.4142135624+0.3, 1)
		p := offPlatformPlan{code: fmt.Sprintf("POOL-%02d", i+1), district: district, name: trimDistrict(district) + theme + "产业园"}
		if i%7 == 3 {
			p.landKm2 = math.Round((0.3+0.5*size)*100) / 100
			p.annualPlan = annualPlan{revenue2025: math.Round(p.landKm2 * (800 + 170*spread)), growth: 0.25 + 0.06*spread, rd: 0.11 + 0.02*spread,
				patentsPer10: 480 + 90*spread, tier: pool.Key, featured: true}
		} else {
			p.landKm2 = math.Round((0.8+2.2*size)*100) / 100
			p.annualPlan = annualPlan{revenue2025: math.Round(p.landKm2 * (120 + 60*spread)), growth: 0.04 + 0.06*spread, rd: 0.04 + 0.02*spread,
				patentsPer10: 100 + 60*spread, tier: tiers[i%3]}
		}
		out = append(out, p)
	}
	return out
}

// trimDistrict drops 区 from a district's name for a park's name (海淀区 → 海淀).
func trimDistrict(d string) string {
	r := []rune(d)
	return string(r[:len(r)-1])
}

// offPlatformPool adds those parks, pools them in one import (tiers, entry dates, featured
// years) and files their park-level figures for 2021–2025 in one submission.
func (l *loader) offPlatformPool() error {
	plans := offPlatformPlans()
	var entries []pool.ImportRow
	var figures []indicator.SubmissionRow
	for i, p := range plans {
		if _, err := l.sv.Space.CreatePark(l.ctx, l.sys, space.Park{Code: p.code, NameZh: p.name, District: p.district,
			LandArea: measure.Area(math.Round(p.landKm2 * 1e6 * 100)), Operator: "（未上平台）", Status: space.ParkOperating}); err != nil {
			return fmt.Errorf("demo pool park %s: %w", p.code, err)
		}
		row := pool.ImportRow{Row: i + 2, ParkCode: p.code, EnteredOn: civil.Of(2021+i%3, 3, 1), Tier: p.tier, Reason: "园区申报入库（演示）"}
		if p.featured {
			row.FeaturedYears = []int{2024, 2025}
		}
		entries = append(entries, row)
		staff := p.revenue2025 * 60 // people per 亿元 of revenue
		for year := 2021; year <= 2025; year++ {
			back := math.Pow(1+p.growth, float64(2025-year))
			revenue := int64(p.revenue2025 * 1e10 / back)
			employees := int64(staff / math.Pow(1+p.growth/2, float64(2025-year)))
			figures = append(figures, indicator.SubmissionRow{Row: len(figures) + 2, ParkCode: p.code, Year: year, Figures: stats.Figures{
				"revenue": revenue, "industrial_output": revenue * 2 / 5, "rd_expense": int64(float64(revenue) * p.rd), "tax": revenue * 6 / 100,
				"employees": employees, "rd_staff": employees * 2 / 5,
				"invention_patents_granted": int64(float64(employees)*p.patentsPer10/10000 + 0.5),
				"invention_patents_held":    int64(float64(employees)*p.patentsPer10*4/10000 + 0.5)}})
		}
	}
	if _, problems, err := l.sv.Pool.Import(l.ctx, l.sys, entries, false); err != nil || len(problems) > 0 {
		return fmt.Errorf("demo pool import: %v %+v", err, problems)
	}
	if problems, err := l.sv.Indicators.SubmitAll(l.ctx, l.sys, figures, false); err != nil || len(problems) > 0 {
		return fmt.Errorf("demo park-level figures: %v %+v", err, problems)
	}
	return nil
}
