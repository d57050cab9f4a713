package policy

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/measure"
)

// AmountRule says what a policy pays: a fixed sum; a percentage of one of the enterprise's
// measures of the policy's year, raised to a floor and held to a cap; or bands of that measure,
// each paying a sum from its lower bound up.
type AmountRule struct {
	Kind    string           `json:"kind" doc:"fixed（定额） | percent（按比例） | bands（分档）"`
	Fixed   measure.Money    `json:"fixed,omitzero" doc:"定额 / the fixed sum"`
	Percent measure.Decimal2 `json:"percent,omitzero" doc:"比例（%） / the percentage"`
	Measure string           `json:"measure,omitempty" doc:"比例或分档所依据的指标 / the measure a percentage or bands read: revenue | rd_expense | tax"`
	Floor   measure.Money    `json:"floor,omitzero" doc:"下限（0 为无） / the least paid (0: none)"`
	Cap     measure.Money    `json:"cap,omitzero" doc:"上限（0 为无） / the most paid (0: none)"`
	Bands   []Band           `json:"bands,omitempty"`
}

// Band pays Amount to an enterprise whose measure reaches From.
type Band struct {
	From   measure.Money `json:"from"`
	Amount measure.Money `json:"amount"`
}

// AmountKinds and AmountMeasures are the rules' choices.
var (
	AmountKinds    = []string{"fixed", "percent", "bands"}
	AmountMeasures = []string{"revenue", "rd_expense", "tax"}
)

// Validate checks a rule; field names start with at.
func (a AmountRule) Validate(f *apperr.Fields, at string) {
	switch a.Kind {
	case "fixed":
		if a.Fixed <= 0 {
			f.Add(at+".fixed", "out_of_range", "定额应大于 0", "the fixed sum must be above 0")
		}
		check.Money(f, at+".fixed", a.Fixed)
	case "percent":
		if a.Percent <= 0 || a.Percent > 100_00 {
			f.Add(at+".percent", "out_of_range", "比例应在 0–100% 之间", "the percentage must be above 0 and at most 100")
		}
	case "bands":
		if len(a.Bands) == 0 || len(a.Bands) > 20 {
			f.Add(at+".bands", "count", "分档应为 1–20 档", "give 1 to 20 bands")
		}
		for i, b := range a.Bands {
			field := fmt.Sprintf("%s.bands[%d]", at, i)
			if b.Amount <= 0 {
				f.Add(field+".amount", "out_of_range", "每档金额应大于 0", "a band's sum must be above 0")
			}
			check.Money(f, field+".amount", b.Amount)
			check.Money(f, field+".from", b.From)
			if b.From < 0 || i > 0 && b.From <= a.Bands[i-1].From {
				f.Add(field+".from", "out_of_order", "各档起点应从低到高递增", "bands must start at rising, non-negative bounds")
			}
		}
	default:
		if a.Kind == "" {
			f.Required(at + ".kind")
		} else {
			f.Add(at+".kind", "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
		}
		return
	}
	if a.Kind != "fixed" && !slices.Contains(AmountMeasures, a.Measure) {
		f.Add(at+".measure", "unknown_value", "按比例或分档须指定依据指标（revenue、rd_expense、tax）", "a percentage or bands read revenue, rd_expense or tax")
	}
	check.Money(f, at+".floor", a.Floor)
	check.Money(f, at+".cap", a.Cap)
	if a.Floor < 0 {
		f.Add(at+".floor", "out_of_range", "下限不能为负", "the floor must not be negative")
	}
	if a.Cap < 0 {
		f.Add(at+".cap", "out_of_range", "上限不能为负", "the cap must not be negative")
	}
	if a.Cap > 0 && a.Cap < a.Floor {
		f.Add(at+".cap", "below_floor", "上限不能低于下限", "the cap is below the floor")
	}
	if a.Kind == "fixed" && (a.Floor != 0 || a.Cap != 0) {
		f.Add(at+".cap", "not_allowed", "定额不设上下限", "a fixed sum takes no floor or cap")
	}
}

// Most is the largest sum the rule can pay (0: no limit).
func (a AmountRule) Most() measure.Money {
	switch a.Kind {
	case "fixed":
		return a.Fixed
	case "bands":
		var most measure.Money
		for _, b := range a.Bands {
			most = max(most, b.Amount)
		}
		if a.Cap > 0 {
			return min(most, a.Cap)
		}
		return max(most, a.Floor)
	}
	return a.Cap
}

// Estimate is what a rule would pay an enterprise, and from what.
type Estimate struct {
	Amount measure.Money `json:"amount"`
	// Known is false when the measure the rule reads is missing for the year.
	Known   bool   `json:"known"`
	BasisZh string `json:"basis_zh"`
	BasisEn string `json:"basis_en"`
}

// Estimate works out the sum for an enterprise from its figures of year.
func (a AmountRule) Estimate(f Facts, year int) Estimate {
	if a.Kind == "fixed" {
		return Estimate{Amount: a.Fixed, Known: true, BasisZh: "定额", BasisEn: "fixed sum"}
	}
	y, ok := f.Years[year]
	base, has := y.Get(a.Measure)
	fact, _ := FactOf(a.Measure)
	if !ok || !y.Complete || !has {
		return Estimate{BasisZh: fmt.Sprintf("缺少 %d 年度%s", year, fact.Zh), BasisEn: fmt.Sprintf("no %s for %d", fact.En, year)}
	}
	var amount measure.Money
	var zh, en string
	if a.Kind == "percent" {
		// base × percent ÷ 100, the percent carrying two decimals, rounded half up to the fen.
		p := new(big.Int).Mul(big.NewInt(base), big.NewInt(int64(a.Percent)))
		p.Add(p, big.NewInt(5000))
		p.Quo(p, big.NewInt(10000))
		amount = measure.Money(p.Int64())
		if !p.IsInt64() {
			amount = measure.Money(1 << 62)
		}
		zh = fmt.Sprintf("%d 年度%s %s 元 × %s%%", year, fact.Zh, measure.Money(base), a.Percent)
		en = fmt.Sprintf("%s %s yuan in %d × %s%%", fact.En, measure.Money(base), year, a.Percent)
	} else {
		for _, b := range a.Bands {
			if base >= int64(b.From) {
				amount = b.Amount
				zh = fmt.Sprintf("%d 年度%s %s 元，达到 %s 元档", year, fact.Zh, measure.Money(base), b.From)
				en = fmt.Sprintf("%s %s yuan in %d reaches the band from %s yuan", fact.En, measure.Money(base), year, b.From)
			}
		}
		if zh == "" {
			zh = fmt.Sprintf("%d 年度%s %s 元，未达最低档", year, fact.Zh, measure.Money(base))
			en = fmt.Sprintf("%s %s yuan in %d is below the lowest band", fact.En, measure.Money(base), year)
		}
	}
	if a.Floor > 0 && amount < a.Floor {
		amount = a.Floor
		zh, en = zh+"，按下限", en+", raised to the floor"
	}
	if a.Cap > 0 && amount > a.Cap {
		amount = a.Cap
		zh, en = zh+"，按上限", en+", held to the cap"
	}
	return Estimate{Amount: amount, Known: true, BasisZh: zh, BasisEn: en}
}
