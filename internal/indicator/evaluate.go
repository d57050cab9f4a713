package indicator

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
)

// Scheme is an evaluation scheme (rule 9): dimensions (一级指标) whose weights in percent sum to
// 100, each with indicators (二级指标) carrying a relative weight (赋权); gates a park must pass;
// and the score bands that recommend a tier.
type Scheme struct {
	Dimensions []Dimension `json:"dimensions"`
	Gates      []Gate      `json:"gates,omitempty"`
	Tiers      []TierBand  `json:"tiers,omitempty"`
}

// Dimension is a first-level indicator.
type Dimension struct {
	Code       string  `json:"code"`
	NameZh     string  `json:"name_zh"`
	NameEn     string  `json:"name_en"`
	Weight     float64 `json:"weight"` // percent of the total
	Indicators []Item  `json:"indicators"`
}

// Item is a second-level indicator in a dimension.
type Item struct {
	Indicator string  `json:"indicator"`
	Weight    float64 `json:"weight"` // 赋权, relative within the dimension
	Norm      Norm    `json:"norm"`
}

// Norm says how an indicator's value becomes a 0–100 score.
type Norm struct {
	Kind      string  `json:"kind"` // min_max, benchmark, bands
	Benchmark float64 `json:"benchmark,omitempty"`
	Bands     []Band  `json:"bands,omitempty"`
}

// Band scores values that reach its lower bound.
type Band struct {
	Lower float64 `json:"lower"`
	Score float64 `json:"score"`
}

// Gate is a condition a park must meet to qualify, e.g. concentration ≥ 0.7.
type Gate struct {
	Indicator string  `json:"indicator"`
	Op        string  `json:"op"` // ">=" or "<="
	Threshold float64 `json:"threshold"`
}

// TierBand recommends Tier for totals that reach Lower.
type TierBand struct {
	Lower float64 `json:"lower"`
	Tier  string  `json:"tier"`
}

// A scheme's bounds.
const maxDimensions, maxItems, maxBands, maxGates, maxTiers = 20, 200, 20, 20, 10

// tolerance absorbs the binary rounding of sums of weighted scores, so that a total meant to
// sit on a band's bound (60 = 0.3 × 50 + 0.7 × 64.2857…) reaches it.
const tolerance = 1e-9

func reaches(x, lower float64) bool { return x >= lower-tolerance*math.Max(1, math.Abs(lower)) }

// Validate refuses a scheme that cannot be run, naming the field: weights that do not sum to
// 100 %, an unknown indicator (known says which exist), a bad normalisation or gate.
func (s Scheme) Validate(known func(code string) bool) error {
	var f apperr.Fields
	if len(s.Dimensions) == 0 {
		f.Add("dimensions", "required", "至少需要一个一级指标", "at least one dimension is required")
	}
	// Bounds keep a scheme, its runs and their exports (one column per indicator) a size a
	// person reads and a workbook holds.
	items := 0
	for _, d := range s.Dimensions {
		items += len(d.Indicators)
	}
	for _, b := range []struct {
		field  string
		n, max int
	}{{"dimensions", len(s.Dimensions), maxDimensions}, {"dimensions", items, maxItems}, {"gates", len(s.Gates), maxGates}, {"tiers", len(s.Tiers), maxTiers}} {
		if b.n > b.max {
			f.Add(b.field, "too_many", fmt.Sprintf("最多 %d 项", b.max), fmt.Sprintf("at most %d", b.max))
			return f.Err()
		}
	}
	codes := map[string]bool{}
	var total float64
	for i, d := range s.Dimensions {
		at := fmt.Sprintf("dimensions[%d]", i)
		switch {
		case d.Code == "":
			f.Add(at+".code", "required", "请填写一级指标代码", "a dimension needs a code")
		case codes[d.Code]:
			f.Add(at+".code", "duplicate", "一级指标代码重复："+d.Code, "a dimension code used twice: "+d.Code)
		}
		codes[d.Code] = true
		if d.Weight <= 0 || d.Weight > 100 {
			f.Add(at+".weight", "out_of_range", "权重应在 0–100% 之间", "the weight must be between 0 and 100 %")
		}
		total += d.Weight
		if len(d.Indicators) == 0 {
			f.Add(at+".indicators", "required", "每个一级指标至少包含一个二级指标", "each dimension needs at least one indicator")
		}
		for j, it := range d.Indicators {
			at := fmt.Sprintf("%s.indicators[%d]", at, j)
			if !known(it.Indicator) {
				f.Add(at+".indicator", "unknown", "指标不存在："+it.Indicator, "no such indicator: "+it.Indicator)
			}
			if it.Weight <= 0 || it.Weight > 10 {
				f.Add(at+".weight", "out_of_range", "赋权应大于 0 且不超过 10", "the relative weight must be above 0 and at most 10")
			}
			switch it.Norm.Kind {
			case "min_max":
			case "benchmark":
				if it.Norm.Benchmark <= 0 {
					f.Add(at+".norm.benchmark", "out_of_range", "标杆值应大于 0", "the benchmark must be above 0")
				}
			case "bands":
				if len(it.Norm.Bands) == 0 || len(it.Norm.Bands) > maxBands {
					f.Add(at+".norm.bands", "count", fmt.Sprintf("分档应为 1–%d 个", maxBands), fmt.Sprintf("1–%d bands", maxBands))
				}
				for k, b := range it.Norm.Bands {
					if b.Score < 0 || b.Score > 100 {
						f.Add(fmt.Sprintf("%s.norm.bands[%d].score", at, k), "out_of_range", "分档得分应在 0–100 之间", "a band's score must be 0–100")
					}
				}
			default:
				f.Add(at+".norm.kind", "invalid", "标准化方式应为 min_max、benchmark 或 bands", "normalisation must be min_max, benchmark or bands")
			}
		}
	}
	if len(s.Dimensions) > 0 && math.Abs(total-100) > 1e-9 {
		f.Add("dimensions", "weights_sum", fmt.Sprintf("一级指标权重合计为 %g%%，应为 100%%", total), fmt.Sprintf("the dimension weights sum to %g %%, not 100 %%", total))
	}
	for i, g := range s.Gates {
		at := fmt.Sprintf("gates[%d]", i)
		if !known(g.Indicator) {
			f.Add(at+".indicator", "unknown", "门槛指标不存在："+g.Indicator, "no such indicator: "+g.Indicator)
		}
		if g.Op != ">=" && g.Op != "<=" {
			f.Add(at+".op", "invalid", "门槛条件应为 >= 或 <=", "a gate's op must be >= or <=")
		}
	}
	for i, t := range s.Tiers {
		if t.Tier != "planning" && t.Tier != "reserve" && t.Tier != "key" {
			f.Add(fmt.Sprintf("tiers[%d].tier", i), "invalid", "推荐梯队应为 planning、reserve 或 key", "a band's tier must be planning, reserve or key")
		}
	}
	return f.Err()
}

// Subject is a park to evaluate: its indicator values for the year, and its revenue for ties.
type Subject struct {
	ParkID  string
	Values  map[string]Value
	Revenue float64
}

// ItemScore explains one indicator's part in a park's score.
type ItemScore struct {
	Indicator    string  `json:"indicator"`
	Known        bool    `json:"known"`
	Value        float64 `json:"value"`
	Score        float64 `json:"score"`  // 0–100; 0 when the value is missing
	Weight       float64 `json:"weight"` // 赋权
	Contribution float64 `json:"contribution"`
	Missing      bool    `json:"missing"`
}

// DimensionScore is a park's score in one dimension.
type DimensionScore struct {
	Code         string      `json:"code"`
	Score        float64     `json:"score"`
	Weight       float64     `json:"weight"`
	Contribution float64     `json:"contribution"`
	Items        []ItemScore `json:"items"`
}

// GateResult is one gate checked.
type GateResult struct {
	Gate   Gate    `json:"gate"`
	Known  bool    `json:"known"`
	Value  float64 `json:"value"`
	Passed bool    `json:"passed"`
}

// Score is one park's evaluation.
type Score struct {
	ParkID     string           `json:"park_id"`
	Rank       int              `json:"rank"`
	Total      float64          `json:"total"`
	Qualified  bool             `json:"qualified"`
	Gates      []GateResult     `json:"gates"`
	Dimensions []DimensionScore `json:"dimensions"`
	Tier       string           `json:"tier,omitempty"`
	TierNoteZh string           `json:"tier_note_zh,omitempty"`
	TierNoteEn string           `json:"tier_note_en,omitempty"`
	Revenue    float64          `json:"revenue"`
	MissingAny bool             `json:"missing_any"`
}

// span is the range of an indicator's known values over the parks evaluated.
type span struct{ min, max float64 }

// Evaluate scores the subjects with a valid scheme (rule 9); lowerIsBetter says which
// indicators min–max reverses. The result is ranked: qualified parks first by total, then the
// rest, ties broken by revenue.
func Evaluate(s Scheme, subjects []Subject, lowerIsBetter func(code string) bool) []Score {
	spans := map[string]*span{}
	for _, d := range s.Dimensions {
		for _, it := range d.Indicators {
			if it.Norm.Kind != "min_max" || spans[it.Indicator] != nil {
				continue
			}
			var sp *span
			for _, sub := range subjects {
				if v := sub.Values[it.Indicator]; v.Known {
					if sp == nil {
						sp = &span{v.Value, v.Value}
					}
					sp.min, sp.max = math.Min(sp.min, v.Value), math.Max(sp.max, v.Value)
				}
			}
			spans[it.Indicator] = sp
		}
	}
	out := make([]Score, len(subjects))
	for i, sub := range subjects {
		sc := Score{ParkID: sub.ParkID, Revenue: sub.Revenue, Qualified: true}
		for _, d := range s.Dimensions {
			ds := DimensionScore{Code: d.Code, Weight: d.Weight}
			var weighted, weights float64
			for _, it := range d.Indicators {
				is := ItemScore{Indicator: it.Indicator, Weight: it.Weight}
				v := sub.Values[it.Indicator]
				if v.Known {
					is.Known, is.Value = true, v.Value
					is.Score = normalise(it.Norm, v.Value, spans[it.Indicator], lowerIsBetter(it.Indicator))
				} else {
					is.Missing, sc.MissingAny = true, true
				}
				weighted += it.Weight * is.Score
				weights += it.Weight
				ds.Items = append(ds.Items, is)
			}
			ds.Score = weighted / weights
			ds.Contribution = d.Weight * ds.Score / 100
			for j := range ds.Items {
				ds.Items[j].Contribution = d.Weight / 100 * ds.Items[j].Weight * ds.Items[j].Score / weights
			}
			sc.Total += ds.Contribution
			sc.Dimensions = append(sc.Dimensions, ds)
		}
		for _, g := range s.Gates {
			v := sub.Values[g.Indicator]
			gr := GateResult{Gate: g, Known: v.Known, Value: v.Value}
			if v.Known {
				if g.Op == ">=" {
					gr.Passed = reaches(v.Value, g.Threshold)
				} else {
					gr.Passed = reaches(-v.Value, -g.Threshold)
				}
			}
			if !gr.Passed {
				sc.Qualified = false
			}
			sc.Gates = append(sc.Gates, gr)
		}
		if !sc.Qualified {
			sc.TierNoteZh, sc.TierNoteEn = "未达门槛，不予推荐", "failed a gate: no recommendation"
		} else {
			sc.Tier = tierFor(s.Tiers, sc.Total)
		}
		out[i] = sc
	}
	slices.SortStableFunc(out, func(a, b Score) int {
		if a.Qualified != b.Qualified {
			if a.Qualified {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(a.ParkID, b.ParkID))
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// normalise scores a known value 0–100.
func normalise(n Norm, x float64, sp *span, lowerIsBetter bool) float64 {
	switch n.Kind {
	case "min_max":
		if sp == nil || sp.max == sp.min {
			return 100
		}
		if lowerIsBetter {
			return (sp.max - x) / (sp.max - sp.min) * 100
		}
		return (x - sp.min) / (sp.max - sp.min) * 100
	case "benchmark":
		return math.Min(x/n.Benchmark, 1) * 100
	case "bands":
		best, found := 0.0, false
		for _, b := range n.Bands {
			if reaches(x, b.Lower) && (!found || b.Lower > best) {
				best, found = b.Lower, true
			}
		}
		for _, b := range n.Bands {
			if found && b.Lower == best {
				return b.Score
			}
		}
	}
	return 0
}

// tierFor is the tier of the highest band the total reaches, or "".
func tierFor(bands []TierBand, total float64) string {
	tier, best := "", math.Inf(-1)
	for _, b := range bands {
		if reaches(total, b.Lower) && b.Lower > best {
			tier, best = b.Tier, b.Lower
		}
	}
	return tier
}
