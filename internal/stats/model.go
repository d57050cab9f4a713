// Package stats is enterprise statistical reporting (统计报表, SPEC §3): reporting periods opened
// by the authority or a park, the figures each enterprise files for a period, the checks that
// block or warn, and the draft → submitted → approved / returned workflow.
package stats

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Kind is how long a reporting period runs.
type Kind string

const (
	Monthly   Kind = "monthly"
	Quarterly Kind = "quarterly"
	Annual    Kind = "annual"
)

// Kinds lists the period kinds in display order.
var Kinds = []Kind{Monthly, Quarterly, Annual}

// Period is one round of collection: which months it covers, by when, and from whom. ParkID is
// empty for a period the authority opens across parks.
type Period struct {
	ID            string     `json:"id"`
	ParkID        string     `json:"park_id,omitempty"`
	Kind          Kind       `json:"kind"`
	Year          int        `json:"year"`
	Seq           int        `json:"seq"` // month 1–12, quarter 1–4, 0 for annual
	StartOn       civil.Date `json:"start_on"`
	EndOn         civil.Date `json:"end_on"`
	Deadline      civil.Date `json:"deadline"`
	Closed        bool       `json:"closed"`
	EnterpriseIDs []string   `json:"enterprise_ids"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Span fills StartOn and EndOn from Kind, Year and Seq.
func (p *Period) Span() {
	switch p.Kind {
	case Monthly:
		p.StartOn = civil.Of(p.Year, time.Month(p.Seq), 1)
		p.EndOn = civil.Of(p.Year, time.Month(p.Seq)+1, 1).AddDays(-1)
	case Quarterly:
		p.StartOn = civil.Of(p.Year, time.Month(3*p.Seq-2), 1)
		p.EndOn = civil.Of(p.Year, time.Month(3*p.Seq+1), 1).AddDays(-1)
	default:
		p.StartOn, p.EndOn = civil.Of(p.Year, 1, 1), civil.Of(p.Year, 12, 31)
	}
}

// Label names the period the way a form says it: 2024年第1季度, 2024年3月, 2024年度.
func (p Period) Label() string {
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%d年%d月", p.Year, p.Seq)
	case Quarterly:
		return fmt.Sprintf("%d年第%d季度", p.Year, p.Seq)
	}
	return fmt.Sprintf("%d年度", p.Year)
}

// Previous is the period of the same kind just before this one, as (year, seq).
func (p Period) Previous() (int, int) {
	switch {
	case p.Kind == Annual:
		return p.Year - 1, 0
	case p.Seq > 1:
		return p.Year, p.Seq - 1
	case p.Kind == Monthly:
		return p.Year - 1, 12
	}
	return p.Year - 1, 4
}

// Validate checks a period before it is opened.
func (p Period) Validate() error {
	var f apperr.Fields
	switch p.Kind {
	case Monthly:
		if p.Seq < 1 || p.Seq > 12 {
			f.Add("seq", "out_of_range", "月份应为 1–12", "month must be 1–12")
		}
	case Quarterly:
		if p.Seq < 1 || p.Seq > 4 {
			f.Add("seq", "out_of_range", "季度应为 1–4", "quarter must be 1–4")
		}
	case Annual:
		if p.Seq != 0 {
			f.Add("seq", "out_of_range", "年报不分期次，应为 0", "an annual period has seq 0")
		}
	default:
		f.Add("kind", "invalid", "周期应为 monthly、quarterly 或 annual", "kind must be monthly, quarterly or annual")
	}
	if p.Year < 2000 || p.Year > 2100 {
		f.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
	}
	if p.Deadline.IsZero() {
		f.Add("deadline", "required", "请填写截止日期", "deadline is required")
	} else if len(f) == 0 {
		p.Span()
		if p.Deadline.Before(p.EndOn) {
			f.Add("deadline", "before_end", "截止日期不能早于报告期结束日", "the deadline cannot be before the period ends")
		}
	}
	return f.Err()
}

// Measure describes one reported figure.
type Measure struct {
	Key      string
	Zh, En   string
	Money    bool // 元 kept in fen; otherwise a count
	Flow     bool // adds up over a year; a stock takes the year-end value
	Required bool
}

// Measures are the §3 figures, in form order.
var Measures = []Measure{
	{"revenue", "营业收入", "Revenue", true, true, true},
	{"industrial_output", "工业总产值", "Industrial output", true, true, false},
	{"rd_expense", "研发费用", "R&D expenditure", true, true, true},
	{"tax", "纳税总额", "Tax paid", true, true, true},
	{"employees", "从业人员期末人数", "Employees at period end", false, false, true},
	{"rd_staff", "研发人员", "R&D staff", false, false, true},
	{"invention_patents_granted", "发明专利授权量", "Invention patents granted", false, true, true},
	{"invention_patents_held", "有效发明专利拥有量", "Valid invention patents held", false, false, true},
	{"other_patents_granted", "其他专利授权量", "Other patents granted", false, true, false},
	{"financing", "融资额", "Financing raised", true, true, false},
	{"exports", "出口额", "Exports", true, true, false},
}

// Figures holds one report's values by measure key: fen for money, a count otherwise. A key that
// is absent was left blank.
type Figures map[string]int64

// Money returns a money figure.
func (f Figures) Money(key string) (measure.Money, bool) {
	v, ok := f[key]
	return measure.Money(v), ok
}

// PeriodFilter narrows a list of periods.
type PeriodFilter struct {
	ParkID string
	Kind   Kind
	Year   int
	// DeadlineFrom and DeadlineTo bound the deadline, for reminders; zero means unbounded.
	DeadlineFrom, DeadlineTo civil.Date
}

// MeasureOf finds a measure by key.
func MeasureOf(key string) (Measure, bool) {
	i := slices.IndexFunc(Measures, func(m Measure) bool { return m.Key == key })
	if i < 0 {
		return Measure{}, false
	}
	return Measures[i], true
}

// MarshalJSON writes money as decimal yuan (like every amount in the API) and counts as integers.
func (f Figures) MarshalJSON() ([]byte, error) { return f.AppendJSON(make([]byte, 0, 32*len(f))), nil }

// AppendJSON appends what MarshalJSON writes.
func (f Figures) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	for _, m := range measuresByKey {
		v, ok := f[m.Key]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(append(append(b, '"'), m.Key...), '"', ':')
		if m.Money {
			b = measure.Money(v).AppendJSON(b)
		} else {
			b = strconv.AppendInt(b, v, 10)
		}
	}
	return append(b, '}')
}

// measuresByKey are the measures in the order of their keys, the order JSON objects list
// their members in (keys are plain ASCII, so they need no escaping).
var measuresByKey = func() []Measure {
	out := slices.Clone(Measures)
	slices.SortFunc(out, func(a, b Measure) int { return strings.Compare(a.Key, b.Key) })
	return out
}()

// UnmarshalJSON reads figures written as MarshalJSON writes them; null leaves a figure blank.
// A count with a fraction or an unknown key is an error.
func (f *Figures) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Figures{}
	for k, v := range raw {
		m, ok := MeasureOf(k)
		if !ok {
			return fmt.Errorf("json: unknown field %q", k)
		}
		if string(v) == "null" {
			continue
		}
		if m.Money {
			var x measure.Money
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			out[k] = int64(x)
			continue
		}
		var n int64
		if err := json.Unmarshal(v, &n); err != nil {
			return err
		}
		out[k] = n
	}
	*f = out
	return nil
}
