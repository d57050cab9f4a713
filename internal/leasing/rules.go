package leasing

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Validate checks a contract's own terms and fills defaults: units without dates run for the
// whole term, the day count defaults to 365/12, the cycle to monthly.
func (c *Contract) Validate() error {
	var f apperr.Fields
	c.Number = strings.TrimSpace(c.Number)
	if c.Number == "" {
		f.Required("number")
	} else if utf8.RuneCountInString(c.Number) > 50 {
		f.Add("number", "too_long", "合同编号不能超过 50 个字符", "number must be at most 50 characters")
	}
	if c.EnterpriseID == "" {
		f.Required("enterprise_id")
	}
	if c.StartOn.IsZero() {
		f.Required("start_on")
	}
	if c.EndOn.IsZero() {
		f.Required("end_on")
	}
	if !c.StartOn.IsZero() && !c.EndOn.IsZero() && c.EndOn.Before(c.StartOn) {
		f.Add("end_on", "before_start", "结束日期不能早于开始日期", "end_on cannot be before start_on")
	}
	if !c.StartOn.IsZero() && c.EndOn.After(c.StartOn.AddMonths(12*MaxTermYears).AddDays(-1)) {
		f.Add("end_on", "term_too_long", fmt.Sprintf("租赁期限不得超过 %d 年（《民法典》第七百零五条）", MaxTermYears),
			fmt.Sprintf("a lease term cannot exceed %d years (Civil Code, art. 705)", MaxTermYears))
	}
	check.UnitPrice(&f, "price", c.Price)
	check.UnitPrice(&f, "property_fee", c.PropertyFee)
	check.Money(&f, "penalty", c.Penalty)
	if c.PaymentCycle == 0 {
		c.PaymentCycle = 1
	}
	if !slices.Contains(PaymentCycles, c.PaymentCycle) {
		f.Add("payment_cycle", "unknown_value", "付款周期须为 1、3、6 或 12 个月", "payment_cycle must be 1, 3, 6 or 12 months")
	}
	if c.DepositMonths < 0 || c.DepositMonths > 24 {
		f.Add("deposit_months", "out_of_range", "押金月数须在 0 到 24 之间", "deposit_months must be between 0 and 24")
	}
	if c.DayCount == "" {
		c.DayCount = DayCount365
	}
	if c.DayCount != DayCount365 && c.DayCount != DayCountActual {
		f.Add("day_count", "unknown_value", "计租方式须为 365/12 或 actual", "day_count must be 365/12 or actual")
	}
	if c.Status == "" {
		c.Status = Draft
	}
	inTerm := func(d civil.Date) bool { return !d.Before(c.StartOn) && !d.After(c.EndOn) }
	if len(c.Units) == 0 {
		f.Add("units", "required", "合同至少包含一个单元", "a contract needs at least one unit")
	}
	seen := map[string]bool{}
	for i, u := range c.Units {
		field := fmt.Sprintf("units[%d]", i)
		if u.UnitID == "" {
			f.Required(field + ".unit_id")
		}
		if u.From.IsZero() {
			c.Units[i].From = c.StartOn
		}
		if u.To.IsZero() {
			c.Units[i].To = c.EndOn
		}
		u = c.Units[i]
		if u.Area != 0 {
			check.UnitArea(&f, field+".area", u.Area)
		}
		if !c.StartOn.IsZero() && !c.EndOn.IsZero() && (!inTerm(u.From) || !inTerm(u.To) || u.To.Before(u.From)) {
			f.Add(field+".from", "outside_term", "单元的起止日期须在合同期内", "a unit's dates must lie within the term")
		}
		if seen[u.UnitID+u.From.String()] {
			f.Add(field+".unit_id", "duplicate", "同一单元重复列出", "the unit is listed twice")
		}
		seen[u.UnitID+u.From.String()] = true
	}
	for i, p := range c.RentFree {
		field := fmt.Sprintf("rent_free[%d]", i)
		if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
			f.Add(field, "bad_period", "免租期须有开始和结束日期，且结束不早于开始", "a rent-free period needs from ≤ to")
		} else if !c.StartOn.IsZero() && !c.EndOn.IsZero() && (!inTerm(p.From) || !inTerm(p.To)) {
			f.Add(field, "outside_term", "免租期须在合同期内", "a rent-free period must lie within the term")
		}
	}
	e := &c.Escalation
	if e.Kind == "" {
		e.Kind = "none"
	}
	switch e.Kind {
	case "none":
	case "percent":
		if e.BasisPoints <= 0 || e.BasisPoints > 10000 {
			f.Add("escalation.basis_points", "out_of_range", "递增比例须在 0.01% 到 100% 之间（1–10000 个基点）",
				"basis_points must be between 1 and 10000 (0.01 % to 100 %)")
		}
		if e.EveryMonths <= 0 {
			f.Add("escalation.every_months", "required", "须填写递增间隔月数", "every_months is required")
		}
		if e.FromMonth < 2 {
			f.Add("escalation.from_month", "out_of_range", "递增起始月须从第 2 个月起", "from_month must be 2 or later")
		}
	case "steps":
		last := 0
		for i, s := range e.Steps {
			if s.FromMonth <= last || s.Price < 0 {
				f.Add(fmt.Sprintf("escalation.steps[%d]", i), "bad_step", "阶梯须按起始月递增且价格不为负", "steps must start in increasing months with non-negative prices")
			}
			check.UnitPrice(&f, fmt.Sprintf("escalation.steps[%d].price", i), s.Price)
			last = s.FromMonth
		}
	default:
		f.Add("escalation.kind", "unknown_value", "递增方式须为 none、percent 或 steps", "kind must be none, percent or steps")
	}
	check.Text(&f, "note", c.Note, check.NoteLen)
	if c.RentFree == nil {
		c.RentFree = []Period{}
	}
	return f.Err()
}

// ValidateTermination checks an early termination: a day within the term, before the end.
func (c Contract) ValidateTermination(t Termination) error {
	var f apperr.Fields
	if t.TerminatedOn.IsZero() {
		f.Required("terminated_on")
	} else if t.TerminatedOn.Before(c.StartOn) || !t.TerminatedOn.Before(c.EndOn) {
		f.Add("terminated_on", "outside_term", "解约日期须在合同期内且早于到期日", "terminated_on must be within the term and before its end")
	}
	check.Money(&f, "penalty", t.Penalty)
	return f.Err()
}

// EffectiveStatus is the status on a day: an active contract past its last day has expired.
func (c Contract) EffectiveStatus(today civil.Date) Status {
	if c.Status == Active && c.LastDay().Before(today) {
		return Expired
	}
	return c.Status
}

// Termination ends a contract early: TerminatedOn is the last day charged.
type Termination struct {
	TerminatedOn civil.Date    `json:"terminated_on"`
	Penalty      measure.Money `json:"penalty"`
}

// Renewal asks for a successor contract starting the day after this one ends; without a price
// it keeps the current one.
type Renewal struct {
	Number string         `json:"number"`
	EndOn  civil.Date     `json:"end_on"`
	Price  *measure.Price `json:"price,omitempty"`
}

// Amendment adds or removes units from a day on.
type Amendment struct {
	EffectiveOn civil.Date `json:"effective_on"`
	Add         []string   `json:"add"`    // unit ids let from EffectiveOn to the end
	Remove      []string   `json:"remove"` // unit ids let until the day before EffectiveOn
}

// Filter for contract lists.
type Filter struct {
	ParkID       string
	EnterpriseID string
	UnitID       string
	Status       Status
	ActiveOn     civil.Date // leases the unit(s) on this day
	ExpiringBy   civil.Date // last day on or before this
	Q            string     // number
}

// CheckAmounts refuses a contract whose charges could not be held exactly: any line or the
// schedule's total beyond check.MaxMoney (10 trillion 元) is a field error on the price,
// never a wrapped number. It runs once the units' areas are known.
func (c Contract) CheckAmounts() error {
	if _, ok := c.schedule(); !ok {
		var f apperr.Fields
		f.Add("price", "out_of_range", "合同金额超出上限（单价 × 面积 × 期限过大）",
			"the contract's charges are too large (price × area × term)")
		return f.Err()
	}
	return nil
}
