package indicator

import (
	"fmt"
	"math"
)

// Growth is a growth rate with the values it compares (rule 6), labelled with its form.
type Growth struct {
	Known  bool    `json:"known"`
	Rate   float64 `json:"rate"` // 0.28 is 28 %
	Form   string  `json:"form"` // yoy, like_for_like, cagr, group_total, group_mean
	NameZh string  `json:"name_zh"`
	NameEn string  `json:"name_en"`
	From   Value   `json:"from"`
	To     Value   `json:"to"`
	// Parks, for a group's mean of the parks' growth: each park's own rate.
	Parks   map[string]float64 `json:"parks,omitempty"`
	Missing []string           `json:"missing,omitempty"`
}

func rate(to, from float64) (float64, bool) {
	if from == 0 {
		return 0, false
	}
	r := to/from - 1
	return r, !math.IsNaN(r) && !math.IsInf(r, 0)
}

// YoY is a park's growth on its totals (the default form): V(Y) ÷ V(Y−1) − 1.
func YoY(f Formula, cur, prev ParkYear) Growth {
	g := Growth{Form: "yoy", NameZh: "同比增长（园区合计）", NameEn: "year-on-year growth (park totals)",
		From: ParkValue(f, prev), To: ParkValue(f, cur)}
	return g.compare()
}

// LikeForLike is a park's growth over only the enterprises complete in both years (同口径).
// A park-level submission in either year has no enterprises to match, so it has no such growth.
func LikeForLike(f Formula, cur, prev ParkYear) Growth {
	g := Growth{Form: "like_for_like", NameZh: "同口径增长（两年均完整填报的企业）", NameEn: "like-for-like growth (enterprises complete in both years)"}
	if cur.ParkLevel != nil || prev.ParkLevel != nil {
		g.Missing = []string{"park-level submission"}
		return g
	}
	both := map[string]bool{}
	for _, id := range members(f, prev) {
		both[id] = true
	}
	inBoth := map[string]bool{}
	for _, id := range members(f, cur) {
		if both[id] {
			inBoth[id] = true
		}
	}
	g.From, g.To = parkValue(f, prev, inBoth), parkValue(f, cur, inBoth)
	return g.compare()
}

// members are the enterprises a park's value of f stands on.
func members(f Formula, p ParkYear) []string {
	_, _, _, _, ids := parkInputs(f, p, allOf(p.Years))
	return ids
}

// CAGR over n years: (V(Y) ÷ V(Y−n))^(1/n) − 1.
func CAGR(f Formula, cur, base ParkYear, n int) Growth {
	g := Growth{Form: "cagr", NameZh: fmt.Sprintf("%d 年复合增长率", n), NameEn: fmt.Sprintf("compound annual growth over %d years", n),
		From: ParkValue(f, base), To: ParkValue(f, cur)}
	if !g.From.Known || !g.To.Known {
		g.Missing = []string{"values of both years"}
		return g
	}
	if g.Rate, g.Known = compound(g.To.Value, g.From.Value, n); !g.Known {
		g.Missing = []string{"a positive base year"}
	}
	return g
}

func (g Growth) compare() Growth {
	if !g.From.Known || !g.To.Known {
		g.Missing = []string{"values of both years"}
		return g
	}
	g.Rate, g.Known = rate(g.To.Value, g.From.Value)
	if !g.Known {
		g.Missing = []string{"a non-zero base year"}
	}
	return g
}

// GroupGrowthOfTotal is a group's growth of the total over n years: the group's value over the
// parks that have both years, (V(Y) ÷ V(Y−n))^(1/n) − 1 (ΣV(Y) ÷ ΣV(Y−1) − 1 for a sum and n = 1).
func GroupGrowthOfTotal(f Formula, cur, base []ParkYear, n int) Growth {
	c, b := bothYears(f, cur, base)
	g := Growth{Form: "group_total", NameZh: "合计增长率（组内合计之比）", NameEn: "growth of the group's total",
		From: GroupValue(f, b), To: GroupValue(f, c)}
	if n > 1 {
		g.NameZh, g.NameEn = fmt.Sprintf("合计的 %d 年复合增长率", n), fmt.Sprintf("compound annual growth of the group's total over %d years", n)
	}
	g.From.Coverage.Expected, g.To.Coverage.Expected = len(base), len(cur)
	g = g.compare()
	if g.Known && n > 1 {
		g.Rate, g.Known = compound(g.To.Value, g.From.Value, n)
	}
	return g
}

// GroupGrowthMean is the arithmetic mean of the parks' own growth over n years (YoY for 1,
// CAGR for more) over parks with both years.
func GroupGrowthMean(f Formula, cur, base []ParkYear, n int) Growth {
	c, b := bothYears(f, cur, base)
	g := Growth{Form: "group_mean", NameZh: "园区增长率均值（各园区同比的算术平均）", NameEn: "mean of the parks' growth rates", Parks: map[string]float64{}}
	if n > 1 {
		g.NameZh, g.NameEn = fmt.Sprintf("各园区 %d 年复合增长率的算术平均", n), fmt.Sprintf("mean of the parks' compound annual growth over %d years", n)
	}
	var sum float64
	for i := range c {
		r := YoY(f, c[i], b[i])
		if n > 1 {
			r = CAGR(f, c[i], b[i], n)
		}
		if r.Known {
			g.Parks[c[i].ParkID] = r.Rate
			sum += r.Rate
		}
	}
	if len(g.Parks) == 0 {
		g.Missing = []string{"parks with both years"}
		return g
	}
	g.Rate, g.Known = sum/float64(len(g.Parks)), true
	return g
}

// compound is (to ÷ from)^(1/n) − 1, known for positive from and non-negative to.
func compound(to, from float64, n int) (float64, bool) {
	if n <= 0 || from <= 0 || to < 0 {
		return 0, false
	}
	return math.Pow(to/from, 1/float64(n)) - 1, true
}

// bothYears pairs the parks that have a value in both years, in the order of cur.
func bothYears(f Formula, cur, prev []ParkYear) ([]ParkYear, []ParkYear) {
	byPark := map[string]ParkYear{}
	for _, p := range prev {
		if ParkValue(f, p).Known {
			byPark[p.ParkID] = p
		}
	}
	var c, p []ParkYear
	for _, x := range cur {
		if before, ok := byPark[x.ParkID]; ok && ParkValue(f, x).Known {
			c, p = append(c, x), append(p, before)
		}
	}
	return c, p
}

// Percent is the growth as a value in % (0.28 → 28), standing on the later year's value (its
// coverage and inputs) and named by its form; unknown when the growth is.
func (g Growth) Percent() Value {
	v := g.To
	v.Value, v.Known, v.RuleZh, v.RuleEn = g.Rate*100, g.Known, g.NameZh, g.NameEn
	return v
}
