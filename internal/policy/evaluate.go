package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/i18n"
)

// Outcome is how a condition stands for an enterprise.
type Outcome string

const (
	Met     Outcome = "met"
	NotMet  Outcome = "not_met"
	Missing Outcome = "missing" // the data to judge it is not there (no complete year, no founding date)
)

// Explanation is a condition judged for one enterprise: what the rule says, how it came out,
// and for a comparison the enterprise's value and the period it was read for.
type Explanation struct {
	Op      string        `json:"op"`
	Fact    string        `json:"fact,omitempty"`
	RuleZh  string        `json:"rule_zh"`
	RuleEn  string        `json:"rule_en"`
	Outcome Outcome       `json:"outcome"`
	Value   string        `json:"value,omitempty"`
	ValueEn string        `json:"value_en,omitempty"`
	Period  string        `json:"period,omitempty"`
	Of      []Explanation `json:"of,omitempty"`
}

// Names turn the ids a rule names (chain nodes, parks) into words.
type Names map[string]string

// judge is one evaluation: the day and the figures' year, and each comparison's outcome by
// leaf number.
type judge struct {
	facts  *Facts
	day    civil.Date
	year   int
	leaves []Outcome
}

func (j *judge) outcome(r *rule) Outcome {
	switch r.op {
	case "and", "or", "not":
		outs := make([]Outcome, len(r.of))
		for i, sub := range r.of {
			outs[i] = j.outcome(sub)
		}
		return combine(r.op, outs)
	}
	o := compare(r, j.facts.read(r.fact.Key, j.day, j.year))
	j.leaves[r.leaf] = o
	return o
}

// combine is three-valued logic: a group is met or not met when its known parts decide it,
// else missing.
func combine(op string, outs []Outcome) Outcome {
	switch op {
	case "not":
		switch outs[0] {
		case Met:
			return NotMet
		case NotMet:
			return Met
		}
		return Missing
	case "and":
		if slices.Contains(outs, NotMet) {
			return NotMet
		}
		if slices.Contains(outs, Missing) {
			return Missing
		}
		return Met
	default:
		if slices.Contains(outs, Met) {
			return Met
		}
		if slices.Contains(outs, Missing) {
			return Missing
		}
		return NotMet
	}
}

func compare(r *rule, v reading) Outcome {
	if v.missing {
		return Missing
	}
	met := false
	switch r.fact.Type {
	case Number:
		c := v.num.Cmp(r.num)
		switch r.op {
		case "gte":
			met = c >= 0
		case "gt":
			met = c > 0
		case "lte":
			met = c <= 0
		case "lt":
			met = c < 0
		case "eq":
			met = c == 0
		}
	case Flag:
		met = v.flag == r.flag
	default:
		for _, have := range v.set {
			for _, want := range r.set {
				if have == want || r.fact.Key == "industry" && strings.HasPrefix(have, want) {
					met = true
				}
			}
		}
	}
	if met {
		return Met
	}
	return NotMet
}

// fromLeaves recomputes a rule's outcome from its comparisons' outcomes.
func fromLeaves(r *rule, leaves []Outcome) Outcome {
	if r.fact.Key != "" {
		return leaves[r.leaf]
	}
	outs := make([]Outcome, len(r.of))
	for i, sub := range r.of {
		outs[i] = fromLeaves(sub, leaves)
	}
	return combine(r.op, outs)
}

// shortOf lists the comparisons that alone keep an unmet rule from being met: changing that
// one's outcome would meet it.
func shortOf(r *rule, leaves []Outcome) []int {
	var short []int
	trial := slices.Clone(leaves)
	for i, o := range leaves {
		if i == 0 {
			continue
		}
		for _, alt := range []Outcome{Met, NotMet} {
			if alt == o {
				continue
			}
			trial[i] = alt
			if fromLeaves(r, trial) == Met {
				short = append(short, i)
				break
			}
		}
		trial[i] = o
	}
	return short
}

// explain judges r for the enterprise and says why, in both languages.
func (j *judge) explain(r *rule, names Names) Explanation {
	zh, en := describe(r, names, j.year)
	e := Explanation{Op: r.op, RuleZh: zh, RuleEn: en}
	if r.fact.Key == "" {
		outs := make([]Outcome, len(r.of))
		for i, sub := range r.of {
			e.Of = append(e.Of, j.explain(sub, names))
			outs[i] = e.Of[i].Outcome
		}
		e.Outcome = combine(r.op, outs)
		return e
	}
	v := j.facts.read(r.fact.Key, j.day, j.year)
	e.Fact, e.Outcome, e.Value, e.Period = r.fact.Key, compare(r, v), v.shown, v.period
	switch {
	case r.fact.Key == "chain_node" || r.fact.Key == "park":
		e.Value = nameList(v.set, names, "")
	case r.fact.Key == "qualification" && len(v.set) > 0:
		e.Value, e.ValueEn = strings.Join(translated(v.set, "qualification_kind.", "zh-CN"), "、"), strings.Join(translated(v.set, "qualification_kind.", "en"), ", ")
	case r.fact.Key == "stage" && len(v.set) > 0:
		e.Value, e.ValueEn = translated(v.set, "stage.", "zh-CN")[0], translated(v.set, "stage.", "en")[0]
	case r.fact.Unit == "yuan" && v.num != nil:
		e.Value = groupDigits(v.num.FloatString(2))
	}
	if e.ValueEn == "" {
		e.ValueEn = e.Value
	}
	return e
}

// Describe says a condition in plain Chinese and English, naming ids through names.
func Describe(c Condition, names Names, year int) (zh, en string, err error) {
	r, err := compile(c, "eligibility")
	if err != nil {
		return "", "", err
	}
	zh, en = describe(r, names, year)
	return zh, en, nil
}

var numberWords = map[string][2]string{"gte": {"≥", "≥"}, "gt": {">", ">"}, "lte": {"≤", "≤"}, "lt": {"<", "<"}, "eq": {"=", "="}}

func describe(r *rule, names Names, year int) (zh, en string) {
	switch r.op {
	case "and", "or":
		var zs, es []string
		for _, sub := range r.of {
			z, e := describe(sub, names, year)
			zs, es = append(zs, z), append(es, e)
		}
		if len(r.of) == 1 {
			return zs[0], es[0]
		}
		if r.op == "and" {
			return "（" + strings.Join(zs, " 且 ") + "）", "(" + strings.Join(es, " and ") + ")"
		}
		return "（" + strings.Join(zs, " 或 ") + "）", "(" + strings.Join(es, " or ") + ")"
	case "not":
		z, e := describe(r.of[0], names, year)
		return "并非" + z, "not " + e
	}
	f := r.fact
	switch f.Type {
	case Number:
		w := numberWords[r.op]
		value, unitZh, unitEn := r.num.FloatString(2), "", ""
		switch f.Unit {
		case "yuan":
			value, unitZh, unitEn = groupDigits(r.num.FloatString(2)), " 元", " yuan"
		case "percent":
			value, unitZh, unitEn = strings.TrimSuffix(strings.TrimRight(r.num.FloatString(2), "0"), "."), "%", "%"
		case "years":
			value, unitZh, unitEn = strings.TrimSuffix(strings.TrimRight(r.num.FloatString(2), "0"), "."), " 年", " years"
		case "people":
			value, unitZh, unitEn = strings.TrimSuffix(strings.TrimRight(r.num.FloatString(2), "0"), "."), " 人", " people"
		}
		zh = fmt.Sprintf("%s %s %s%s", f.Zh, w[0], value, unitZh)
		en = fmt.Sprintf("%s %s %s%s", f.En, w[1], value, unitEn)
		if f.Figure {
			zh += fmt.Sprintf("（%d 年度）", year)
			en += fmt.Sprintf(" (in %d)", year)
			if f.Key == "revenue_growth" {
				zh = strings.Replace(zh, fmt.Sprintf("（%d 年度）", year), fmt.Sprintf("（%d 年较 %d 年）", year, year-1), 1)
				en = strings.Replace(en, fmt.Sprintf(" (in %d)", year), fmt.Sprintf(" (%d over %d)", year, year-1), 1)
			}
		}
		return zh, en
	case Flag:
		if r.flag {
			return f.Zh, f.En
		}
		return "非" + f.Zh, "not " + strings.ToLower(f.En[:1]) + f.En[1:]
	case Kinds:
		return "持有有效资质：" + nameList(r.set, names, "zh") + "（任一）", "holds a valid " + strings.Join(translated(r.set, "qualification_kind.", "en"), " or ")
	}
	switch f.Key {
	case "industry":
		return "行业代码以 " + strings.Join(r.set, "、") + " 开头", "industry code starts with " + strings.Join(r.set, " or ")
	case "stage":
		return "发展阶段为 " + strings.Join(translated(r.set, "stage.", "zh-CN"), "、"), "stage is " + strings.Join(translated(r.set, "stage.", "en"), " or ")
	case "park":
		return "入驻 " + nameList(r.set, names, "") + " 之一", "resident in " + nameList(r.set, names, "")
	}
	return "属于产业链环节 " + nameList(r.set, names, ""), "in chain node " + nameList(r.set, names, "")
}

// nameList joins ids as their names; lang "zh" names qualification kinds instead.
func nameList(ids []string, names Names, lang string) string {
	if lang == "zh" {
		return strings.Join(translated(ids, "qualification_kind.", "zh-CN"), "、")
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n, ok := names[id]; ok {
			out[i] = n
		}
	}
	return strings.Join(out, "、")
}

func translated(keys []string, prefix, lang string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i18n.T(lang, prefix+k)
	}
	return out
}

// groupDigits writes 12345678.00 as 12,345,678.00.
func groupDigits(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	out := b.String() + "." + frac
	if neg {
		return "-" + out
	}
	return out
}
