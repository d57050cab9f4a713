package evaluation

import "github.com/parkos/parkos/internal/indicator"

// Template is a scheme shipped with ParkOS for an authority to start from.
type Template struct {
	Key        string           `json:"key"`
	NameZh     string           `json:"name_zh"`
	NameEn     string           `json:"name_en"`
	AboutZh    string           `json:"about_zh"`
	Definition indicator.Scheme `json:"definition"`
}

var tiers = []indicator.TierBand{{Lower: 80, Tier: "key"}, {Lower: 60, Tier: "reserve"}, {Lower: 0, Tier: "planning"}}

func item(code string, weight float64, norm indicator.Norm) indicator.Item {
	return indicator.Item{Indicator: code, Weight: weight, Norm: norm}
}

var minMax = indicator.Norm{Kind: "min_max"}

func bench(b float64) indicator.Norm { return indicator.Norm{Kind: "benchmark", Benchmark: b} }

// Templates are the two schemes of issue 13: one from the featured-park figures of the seeds
// (growth 28 %, 地均产出 886 亿元/km², R&D intensity 12 %, 524 invention patents per 10,000
// staff, leading-industry concentration ≥ 70 % as a gate), and one with the structure of the
// national high-tech zone comprehensive evaluation (five first-level dimensions).
var Templates = []Template{
	{Key: "featured", NameZh: "特色产业园评价（依据 2024 年特色园区指标）", NameEn: "Featured-park evaluation (from the 2024 featured-park figures)",
		AboutZh: "标杆取自种子材料：营收增速 28%、地均产出 886 亿元/km²、研发投入强度 12%、万人发明专利授权量 524 件；主导产业集聚度不低于 70% 为门槛。",
		Definition: indicator.Scheme{
			Dimensions: []indicator.Dimension{
				{Code: "scale", NameZh: "产业规模与增长", NameEn: "Scale and growth", Weight: 30, Indicators: []indicator.Item{
					item("revenue", 1.0, minMax),
					item("revenue_growth", 1.2, indicator.Norm{Kind: "bands", Bands: []indicator.Band{{Lower: -1000, Score: 0}, {Lower: 0, Score: 40}, {Lower: 10, Score: 70}, {Lower: 20, Score: 85}, {Lower: 28, Score: 100}}}),
				}},
				{Code: "innovation", NameZh: "创新能力", NameEn: "Innovation", Weight: 30, Indicators: []indicator.Item{
					item("rd_intensity", 1.0, bench(12)),
					item("invention_patents_per_10k", 1.0, bench(524)),
				}},
				{Code: "intensity", NameZh: "集约发展", NameEn: "Land and space efficiency", Weight: 25, Indicators: []indicator.Item{
					item("land_output", 1.0, bench(886)),
					item("floor_output", 0.8, minMax),
				}},
				{Code: "cluster", NameZh: "产业集聚", NameEn: "Industry concentration", Weight: 15, Indicators: []indicator.Item{
					item("leading_concentration", 1.0, bench(100)),
					item("leading_concentration_count", 0.8, bench(100)),
				}},
			},
			Gates: []indicator.Gate{{Indicator: "leading_concentration", Op: ">=", Threshold: 70}},
			Tiers: tiers,
		}},
	{Key: "national", NameZh: "国家高新区综合评价结构（五个一级指标）", NameEn: "National high-tech zone comprehensive evaluation structure (five dimensions)",
		AboutZh: "一级指标按国家高新区综合评价的结构：创新能力和创业活跃度、结构优化和产业价值链、绿色发展和宜居包容性、开放创新和国际竞争力、综合质效和持续创新力；二级指标取自本平台指标目录并赋权。",
		Definition: indicator.Scheme{
			Dimensions: []indicator.Dimension{
				{Code: "innovation", NameZh: "创新能力和创业活跃度", NameEn: "Innovation and entrepreneurship", Weight: 30, Indicators: []indicator.Item{
					item("rd_intensity", 1.2, minMax), item("invention_patents_per_10k", 1.0, minMax),
					item("valid_invention_patents_per_10k", 0.8, minMax), item("incubators", 0.8, minMax),
				}},
				{Code: "structure", NameZh: "结构优化和产业价值链", NameEn: "Structure and value chain", Weight: 20, Indicators: []indicator.Item{
					item("leading_concentration", 1.0, minMax), item("tech_platforms", 0.8, minMax),
				}},
				{Code: "green", NameZh: "绿色发展和宜居包容性", NameEn: "Green and inclusive development", Weight: 15, Indicators: []indicator.Item{
					item("land_output", 1.0, minMax), item("floor_output", 1.0, minMax),
				}},
				{Code: "open", NameZh: "开放创新和国际竞争力", NameEn: "Openness and competitiveness", Weight: 15, Indicators: []indicator.Item{
					item("exports", 1.0, minMax), item("fund_size", 0.8, minMax),
				}},
				{Code: "quality", NameZh: "综合质效和持续创新力", NameEn: "Overall quality and sustained innovation", Weight: 20, Indicators: []indicator.Item{
					item("revenue", 1.0, minMax), item("revenue_growth", 1.0, minMax), item("tax", 0.8, minMax),
				}},
			},
			Tiers: tiers,
		}},
}
