package indicator

import (
	"fmt"
	"slices"

	"github.com/parkos/parkos/internal/civil"
)

// ParkYear is what the engine knows of a park in a year.
type ParkYear struct {
	ParkID string
	Year   int
	// Blocks are the park's enterprise-years summed (see Block); Years are the enterprise-years
	// themselves, complete or not, when the caller asked for them (one park's page).
	Blocks []Block
	Years  []Year
	// ParkLevel is the park's own submission for the year in formula units (§6: parks whose
	// operators are not on the platform), nil when it has none.
	ParkLevel map[string]float64
	// Attrs are the park's attributes in force at the end of the year.
	Attrs map[string]Attr
}

// Attr is a park attribute's value and the date it took effect.
type Attr struct {
	Value float64    `json:"value"`
	Since civil.Date `json:"since"`
}

// Coverage says what a value stands on: Covered of Expected enterprises (or parks, for a group),
// or a park-level submission.
type Coverage struct {
	Of        string `json:"of"` // "enterprises" or "parks"
	Covered   int    `json:"covered"`
	Expected  int    `json:"expected"`
	ParkLevel bool   `json:"park_level"`
}

// Value is one computed figure with how it was computed. A value that cannot be computed is
// Known false, with Missing naming what was lacking: never a zero.
type Value struct {
	Known    bool               `json:"known"`
	Value    float64            `json:"value"`
	Coverage Coverage           `json:"coverage"`
	Inputs   map[string]float64 `json:"inputs,omitempty"`
	// Attrs are the park attributes used and their dates (rule 3: the area and its date).
	Attrs   map[string]Attr `json:"attrs,omitempty"`
	Missing []string        `json:"missing,omitempty"`
	RuleZh  string          `json:"rule_zh"`
	RuleEn  string          `json:"rule_en"`
}

// Ratio of the covered part, 0 when nothing was expected.
func (c Coverage) Ratio() float64 {
	if c.Expected == 0 {
		return 0
	}
	return float64(c.Covered) / float64(c.Expected)
}

// formulaValues are figures in formula units: money in 元, counts as they are.
func formulaValues(figures map[string]int64) map[string]float64 {
	out := make(map[string]float64, len(figures)+3)
	for k, v := range figures {
		if n, ok := NameOf(k); ok && n.Unit == "元" {
			out[k] = float64(v) / 100
		} else {
			out[k] = float64(v)
		}
	}
	return out
}

// values are a block's sums in formula units, with the counts the engine derives: its
// enterprises and their leading-industry share (rule 5).
func (b Block) values() map[string]float64 {
	out := formulaValues(b.Sums)
	out["enterprises"] = float64(b.Enterprises)
	out["leading_enterprises"] = 0
	if b.Leading {
		out["leading_enterprises"] = float64(b.Enterprises)
	}
	if rev, ok := out["revenue"]; ok {
		out["leading_revenue"] = 0
		if b.Leading {
			out["leading_revenue"] = rev
		}
	}
	return out
}

// parkInputs are the sums a formula needs for one park, over its complete enterprise-years that
// give every enterprise measure the formula uses (rule 2: ratios pooled over one set), limited
// to the enterprises in only when it is not nil; or the park-level submission where the park
// has one. ok is false when something is lacking; missing says what.
func parkInputs(f Formula, p ParkYear, only map[string]bool) (sums map[string]float64, attrs map[string]Attr, cov Coverage, missing []string, members []string) {
	sums, attrs = map[string]float64{}, map[string]Attr{}
	var fromEnterprises []string
	for _, k := range f.Uses {
		n, _ := NameOf(k)
		if !n.OfPark {
			fromEnterprises = append(fromEnterprises, k)
			continue
		}
		a, ok := p.Attrs[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		sums[k], attrs[k] = a.Value, a
	}
	cov = Coverage{Of: "enterprises", Expected: p.expected()}
	if p.ParkLevel != nil && only == nil {
		cov.ParkLevel = true
		for _, k := range fromEnterprises {
			v, ok := p.ParkLevel[k]
			if !ok {
				missing = append(missing, k)
				continue
			}
			sums[k] = v
		}
		return sums, attrs, cov, missing, nil
	}
	for _, k := range fromEnterprises {
		sums[k] = 0
	}
	blocks := p.blocks()
	if only != nil {
		blocks = BlocksOf(p.Years, only)
	}
	for _, b := range blocks {
		if !b.Complete {
			continue
		}
		vals := b.values()
		if !hasAll(vals, fromEnterprises) {
			continue
		}
		for _, k := range fromEnterprises {
			sums[k] += vals[k]
		}
		cov.Covered += b.Enterprises
		if b.EnterpriseID != "" {
			members = append(members, b.EnterpriseID)
		}
	}
	if cov.Covered == 0 && len(fromEnterprises) > 0 {
		missing = append(missing, fromEnterprises...)
	}
	return sums, attrs, cov, missing, members
}

func hasAll(vals map[string]float64, keys []string) bool {
	for _, k := range keys {
		if _, ok := vals[k]; !ok {
			return false
		}
	}
	return true
}

// readsEnterprises reports whether the formula uses a measure summed over enterprises.
func (f Formula) readsEnterprises() bool {
	for _, k := range f.Uses {
		if n, _ := NameOf(k); !n.OfPark {
			return true
		}
	}
	return false
}

// ParkValue is a formula's value for a park in a year (rules 2–5).
func ParkValue(f Formula, p ParkYear) Value {
	return parkValue(f, p, nil)
}

func parkValue(f Formula, p ParkYear, only map[string]bool) Value {
	sums, attrs, cov, missing, _ := parkInputs(f, p, only)
	v := Value{Coverage: cov, Inputs: sums, Attrs: attrs, Missing: missing}
	if len(attrs) == 0 {
		v.Attrs = nil
	}
	switch {
	case !f.readsEnterprises():
		v.Coverage = Coverage{Of: "park", Covered: 1, Expected: 1}
		if len(missing) > 0 {
			v.Coverage.Covered = 0
		}
		v.RuleZh, v.RuleEn = "按园区属性（注明日期）计算", "from the park's attributes (with their dates)"
	case cov.ParkLevel:
		v.RuleZh, v.RuleEn = "园区整体填报数", "the park's own submission"
	default:
		v.RuleZh = fmt.Sprintf("按 %d/%d 家完整填报企业的合计计算（比值为合计之比）", cov.Covered, cov.Expected)
		v.RuleEn = fmt.Sprintf("from the sums over %d of %d enterprises with a complete year (ratios of sums)", cov.Covered, cov.Expected)
	}
	if len(missing) > 0 {
		return v
	}
	v.Value, v.Known = f.Eval(sums)
	if !v.Known {
		v.Missing = []string{"denominator"}
	}
	return v
}

// GroupValue is a formula's value for a group of parks in a year (rule 7): the sums over the
// parks that have every part, the ratio of those sums; the coverage counts parks.
func GroupValue(f Formula, parks []ParkYear) Value {
	v, _ := groupValue(f, parks)
	return v
}

func groupValue(f Formula, parks []ParkYear) (Value, []string) {
	sums := map[string]float64{}
	for _, k := range f.Uses {
		sums[k] = 0
	}
	cov := Coverage{Of: "parks", Expected: len(parks)}
	var covered []string
	for _, p := range parks {
		s, _, _, missing, _ := parkInputs(f, p, nil)
		if len(missing) > 0 {
			continue
		}
		for k, x := range s {
			sums[k] += x
		}
		cov.Covered++
		covered = append(covered, p.ParkID)
	}
	v := Value{Coverage: cov, Inputs: sums,
		RuleZh: fmt.Sprintf("按 %d/%d 个具备全部数据的园区的合计之比计算", cov.Covered, cov.Expected),
		RuleEn: fmt.Sprintf("ratio of the sums over the %d of %d parks that have every part", cov.Covered, cov.Expected)}
	if cov.Covered == 0 {
		v.Missing = slices.Clone(f.Uses)
		return v, nil
	}
	v.Value, v.Known = f.Eval(sums)
	if !v.Known {
		v.Missing = []string{"denominator"}
	}
	return v, covered
}

// Multiple is a benchmark multiple (rule 7): the subject's value ÷ the reference's.
func Multiple(subject, reference Value) Value {
	v := Value{Inputs: map[string]float64{"subject": subject.Value, "reference": reference.Value},
		Coverage: subject.Coverage,
		RuleZh:   "对象值 ÷ 参照组值", RuleEn: "the subject's value ÷ the reference group's value"}
	if !subject.Known || !reference.Known || reference.Value == 0 {
		v.Missing = []string{"subject or reference"}
		return v
	}
	v.Value, v.Known = subject.Value/reference.Value, true
	return v
}
