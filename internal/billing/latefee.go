package billing

import (
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Validate checks a late-fee rule: 0.01 %–10 % a day, a grace of at most a year, a cap of at
// most the whole line.
func (r LateFee) Validate() error {
	var f apperr.Fields
	if r.RateBP < 1 || r.RateBP > 1000 {
		f.Add("rate_bp", "out_of_range", "日费率应为 1–1000 个基点（0.01 %–10 %）", "the daily rate must be 1–1000 basis points (0.01 %–10 %)")
	}
	if r.GraceDays < 0 || r.GraceDays > 365 {
		f.Add("grace_days", "out_of_range", "宽限天数应为 0–365", "grace must be 0–365 days")
	}
	if r.CapBP < 0 || r.CapBP > 10000 {
		f.Add("cap_bp", "out_of_range", "上限应为 0–10000 个基点（0 为不设上限）", "the cap must be 0–10000 basis points (0: none)")
	}
	return f.Err()
}

// Overdue is a billed line a late fee may run on: the line (its DueOn its bill's due date), its
// contract's rule, what was paid against it and when, and the late fees billed on it already.
type Overdue struct {
	Line        Line
	Rule        LateFee
	Allocations []Allocation
	FeesBilled  measure.Money
}

// Accrued is the late fee on a line through day: for every day from GraceDays after its due
// date, the part still unpaid at the start of that day times the daily rate, summed exactly and
// rounded half up to the fen once, then capped at CapBP of the line.
func (o Overdue) Accrued(day civil.Date) measure.Money {
	start := o.Line.DueOn.AddDays(o.Rule.GraceDays + 1)
	if day.Before(start) || o.Line.Gross <= 0 {
		return 0
	}
	var total int64 // fen × basis points
	for d := start; !d.After(day); d = d.AddDays(1) {
		unpaid := o.Line.Gross
		for _, a := range o.Allocations {
			if a.PaidOn.Before(d) {
				unpaid -= a.Amount
			}
		}
		if unpaid <= 0 {
			break
		}
		total += int64(unpaid) * int64(o.Rule.RateBP)
	}
	fee := measure.Money((total + 5000) / 10000)
	if o.Rule.CapBP > 0 {
		if limit := measure.Money((int64(o.Line.Gross)*int64(o.Rule.CapBP) + 5000) / 10000); fee > limit {
			fee = limit
		}
	}
	return fee
}

// planLateFees bills the late fee each overdue line accrued through day beyond what was billed.
func planLateFees(overdue []Overdue, day civil.Date) []Line {
	var out []Line
	for _, o := range overdue {
		fee := o.Accrued(day) - o.FeesBilled
		if fee <= 0 {
			continue
		}
		l := o.Line
		out = append(out, Line{Key: "late_fee:" + l.ID + ":" + day.String(), Source: "late_fee", SourceID: l.ID, EnterpriseID: l.EnterpriseID,
			ChargeType: "late_fee", From: l.DueOn, To: day, DueOn: day, Gross: fee,
			Description: fmt.Sprintf("滞纳金：%s，应付日 %s，计至 %s", l.Description, l.DueOn, day)})
	}
	return out
}
