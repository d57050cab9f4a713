package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/enterprise"
)

// Condition is an eligibility rule: a group (and, or, not) of conditions, or a comparison of
// one enterprise fact with a value. As JSON:
//
//	{"op": "and", "of": [{"fact": "revenue", "op": "gte", "value": "10000000"},
//	                     {"op": "not", "of": [{"fact": "stage", "op": "in", "value": ["graduated"]}]}]}
type Condition struct {
	Op    string      `json:"op" doc:"and | or | not（分组） 或比较 / groups, or a comparison: gte gt lte lt eq（数值）, in（行业前缀、产业链环节、园区、阶段）, has（持有任一有效资质）, is（是/否）"`
	Of    []Condition `json:"of,omitempty" doc:"分组的子条件；not 恰好一个 / a group's conditions; not takes exactly one"`
	Fact  string      `json:"fact,omitempty" doc:"比较的企业事实（见 /api/v1/policy-facts） / the fact a comparison reads"`
	Value Value       `json:"value,omitempty" doc:"比较值：数值为十进制字符串或数字，列表为字符串数组，是/否为布尔 / a decimal, a list of strings or a boolean"`
}

// Value is a comparison's value as the caller wrote it: a decimal (string or number), a list
// of strings or a boolean. It is kept as written and read by the fact it is compared with.
type Value []byte

func (v Value) MarshalJSON() ([]byte, error) {
	if len(v) == 0 {
		return []byte("null"), nil
	}
	return v, nil
}

func (v *Value) UnmarshalJSON(b []byte) error {
	*v = append((*v)[:0], b...)
	return nil
}

// FactType is how a fact is compared.
type FactType string

const (
	Number FactType = "number" // compared with gte gt lte lt eq
	List   FactType = "list"   // in: any of the values (industry codes match as prefixes)
	Kinds  FactType = "kinds"  // has: holds any of the qualifications, valid on the day
	Flag   FactType = "flag"   // is: true or false
)

// Fact is one enterprise fact conditions may read.
type Fact struct {
	Key  string   `json:"key"`
	Zh   string   `json:"name_zh"`
	En   string   `json:"name_en"`
	Type FactType `json:"type"`
	// Unit says how a number is written: yuan, percent, years or people.
	Unit string `json:"unit,omitempty"`
	// Figure: read from the approved figures of the policy's year (§6.1).
	Figure bool `json:"figure"`
	// Options are the allowed values of a list fact that has a fixed set.
	Options []string `json:"options,omitempty"`
}

// Catalog is every fact, in the order the editor offers them.
var Catalog = []Fact{
	{Key: "industry", Zh: "国民经济行业（GB/T 4754 代码前缀）", En: "Industry (GB/T 4754 code prefix)", Type: List},
	{Key: "chain_node", Zh: "产业链环节", En: "Industry-chain node", Type: List},
	{Key: "qualification", Zh: "有效资质", En: "Valid qualification", Type: Kinds, Options: kindNames(enterprise.QualificationKinds)},
	{Key: "park", Zh: "所在园区", En: "Park of residence", Type: List},
	{Key: "residence_years", Zh: "入驻年限", En: "Years resident", Type: Number, Unit: "years"},
	{Key: "age_years", Zh: "成立年限", En: "Years since founding", Type: Number, Unit: "years"},
	{Key: "stage", Zh: "发展阶段", En: "Lifecycle stage", Type: List, Options: kindNames(enterprise.Stages)},
	{Key: "scientist_founded", Zh: "知名科学家创办", En: "Founded by a renowned scientist", Type: Flag},
	{Key: "returnee_founded", Zh: "海归创办", En: "Founded by returnees", Type: Flag},
	{Key: "revenue", Zh: "营业收入", En: "Revenue", Type: Number, Unit: "yuan", Figure: true},
	{Key: "rd_expense", Zh: "研发费用", En: "R&D expenditure", Type: Number, Unit: "yuan", Figure: true},
	{Key: "tax", Zh: "纳税总额", En: "Tax paid", Type: Number, Unit: "yuan", Figure: true},
	{Key: "rd_intensity", Zh: "研发投入强度", En: "R&D intensity", Type: Number, Unit: "percent", Figure: true},
	{Key: "revenue_growth", Zh: "营业收入增长率", En: "Revenue growth", Type: Number, Unit: "percent", Figure: true},
	{Key: "employees", Zh: "从业人员（年末）", En: "Employees (year end)", Type: Number, Unit: "people", Figure: true},
}

func kindNames[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// FactOf finds a fact of the catalog.
func FactOf(key string) (Fact, bool) {
	i := slices.IndexFunc(Catalog, func(f Fact) bool { return f.Key == key })
	if i < 0 {
		return Fact{}, false
	}
	return Catalog[i], true
}

// Comparisons each fact type allows.
var comparisons = map[FactType][]string{
	Number: {"gte", "gt", "lte", "lt", "eq"},
	List:   {"in"},
	Kinds:  {"has"},
	Flag:   {"is"},
}

// Groups are the operators that combine conditions.
var Groups = []string{"and", "or", "not"}

// Limits keep a rule readable and its evaluation cheap.
const (
	maxDepth  = 8
	maxLeaves = 40
	maxValues = 200
)

var (
	industryPrefix = regexp.MustCompile(`^[0-9]{2,4}$`)
	decimalText    = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,4})?$`)
)

// rule is a compiled condition: a group of rules, or a fact compared with a typed value.
type rule struct {
	op   string
	of   []*rule
	fact Fact
	num  *big.Rat
	set  []string
	flag bool
	// leaf numbers a comparison in the order it appears, for near-miss reports.
	leaf int
}

// compile checks c and builds its rule; every problem names its place ("eligibility.of[1].value").
func compile(c Condition, at string) (*rule, error) {
	var f apperr.Fields
	leaves := 0
	r := compileInto(&f, c, at, 1, &leaves)
	if leaves > maxLeaves {
		f.Add(at, "too_many", fmt.Sprintf("条件过多（至多 %d 个比较）", maxLeaves), fmt.Sprintf("too many conditions (at most %d comparisons)", maxLeaves))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

func compileInto(f *apperr.Fields, c Condition, at string, depth int, leaves *int) *rule {
	if depth > maxDepth {
		f.Add(at, "too_deep", fmt.Sprintf("条件嵌套过深（至多 %d 层）", maxDepth), fmt.Sprintf("conditions nest too deep (at most %d levels)", maxDepth))
		return nil
	}
	if slices.Contains(Groups, c.Op) {
		if c.Fact != "" || len(c.Value) > 0 {
			f.Add(at+".fact", "not_allowed", "分组不带事实与取值", "a group takes no fact or value")
		}
		switch {
		case c.Op == "not" && len(c.Of) != 1:
			f.Add(at+".of", "count", "“非”恰好包含一个条件", "not takes exactly one condition")
		case len(c.Of) == 0:
			f.Add(at+".of", "required", "分组至少包含一个条件", "a group needs at least one condition")
		}
		r := &rule{op: c.Op}
		for i, sub := range c.Of {
			r.of = append(r.of, compileInto(f, sub, fmt.Sprintf("%s.of[%d]", at, i), depth+1, leaves))
		}
		return r
	}
	*leaves++
	if len(c.Of) > 0 {
		f.Add(at+".of", "not_allowed", "比较条件不含子条件", "a comparison has no sub-conditions")
	}
	fact, ok := FactOf(c.Fact)
	if !ok {
		if c.Fact == "" {
			f.Required(at + ".fact")
		} else {
			f.Add(at+".fact", "unknown_fact", "未知的企业事实："+c.Fact, "unknown fact: "+c.Fact)
		}
		return nil
	}
	if !slices.Contains(comparisons[fact.Type], c.Op) {
		f.Add(at+".op", "unknown_value", fmt.Sprintf("“%s”只能用 %s 比较", fact.Zh, strings.Join(comparisons[fact.Type], " / ")),
			fmt.Sprintf("%s is compared with %s only", fact.En, strings.Join(comparisons[fact.Type], " / ")))
		return nil
	}
	r := &rule{op: c.Op, fact: fact, leaf: *leaves}
	field := at + ".value"
	wrongType := func(zh, en string) { f.Add(field, "wrong_type", zh, en) }
	raw := bytes.TrimSpace(c.Value)
	switch fact.Type {
	case Number:
		text := string(raw)
		if len(raw) > 0 && raw[0] == '"' {
			if json.Unmarshal(raw, &text) != nil {
				text = ""
			}
		}
		if !decimalText.MatchString(text) {
			wrongType("应为数值（十进制数）", "should be a number (decimal)")
			return nil
		}
		r.num, _ = new(big.Rat).SetString(text)
		if r.num.Sign() < 0 && fact.Unit != "percent" {
			f.Add(field, "out_of_range", "不能为负数", "must not be negative")
		}
	case Flag:
		if json.Unmarshal(raw, &r.flag) != nil {
			wrongType("应为 true 或 false", "should be true or false")
		}
	default:
		if json.Unmarshal(raw, &r.set) != nil || len(r.set) == 0 {
			wrongType("应为非空的字符串列表", "should be a non-empty list of strings")
			return nil
		}
		if len(r.set) > maxValues {
			f.Add(field, "too_many", fmt.Sprintf("至多 %d 个值", maxValues), fmt.Sprintf("at most %d values", maxValues))
		}
		for i, v := range r.set {
			switch {
			case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
				f.Add(fmt.Sprintf("%s[%d]", field, i), "invalid", "取值含无效字符", "the value holds characters that are not allowed")
			case fact.Options != nil && !slices.Contains(fact.Options, v):
				f.Add(fmt.Sprintf("%s[%d]", field, i), "unknown_value", "取值不在允许范围内："+v, "value is not one of those allowed: "+v)
			case fact.Key == "industry" && !industryPrefix.MatchString(v):
				f.Add(fmt.Sprintf("%s[%d]", field, i), "invalid", "行业代码应为 2–4 位数字", "an industry code is 2 to 4 digits")
			case strings.TrimSpace(v) == "" || len(v) > 64:
				f.Add(fmt.Sprintf("%s[%d]", field, i), "invalid", "取值无效", "invalid value")
			}
		}
	}
	return r
}

// Refs are the ids a condition names that must be resolved: chain nodes and parks.
func (c Condition) Refs() (nodes, parks []string) {
	if c.Fact == "chain_node" || c.Fact == "park" {
		var ids []string
		_ = json.Unmarshal(c.Value, &ids)
		if c.Fact == "chain_node" {
			nodes = ids
		} else {
			parks = ids
		}
	}
	for _, sub := range c.Of {
		n, p := sub.Refs()
		nodes, parks = append(nodes, n...), append(parks, p...)
	}
	return nodes, parks
}
