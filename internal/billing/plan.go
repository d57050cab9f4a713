package billing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
)

// Horizon is how far ahead of the billing date a run bills: a period due within 30 days is
// billed now, so that its bill reaches the tenant before it falls due.
const Horizon = 30

// Split divides a gross amount (tax included) into net and tax at a rate in basis points: the
// net rounded half away from zero to the fen, the tax what is left, so net + tax = gross exactly.
func Split(gross measure.Money, rateBP int) (net, tax measure.Money) {
	if gross < 0 {
		n, t := Split(-gross, rateBP)
		return -n, -t
	}
	den := int64(10000 + rateBP)
	n := (int64(gross)*10000*2 + den) / (2 * den)
	return measure.Money(n), gross - measure.Money(n)
}

// Billed is what has been billed under one base key (its line and every adjustment of it).
type Billed struct {
	Gross       measure.Money
	Adjustments int
	Enterprise  string
	ChargeType  string
	From, To    civil.Date
	DueOn       civil.Date
	Source      string
	SourceID    string
}

// Mark is how far a contract was billed: the start of its latest period billed and when the
// contract was last billed. A contract not changed since, whose next period falls due after a
// run's horizon, has nothing for the run, so its schedule is not computed.
type Mark struct {
	LastFrom civil.Date
	BilledAt time.Time
}

// idle reports whether a run on day has nothing to bill for c: it ended before the park's
// billing began, or starts beyond the horizon, never billed; or it was billed after its last
// change, and its next period (a few days early, for month ends) falls beyond day + Horizon or
// after its last day.
func idle(c leasing.Contract, m Mark, day, from civil.Date) bool {
	if !from.IsZero() && c.LastDay().Before(from) && m.BilledAt.IsZero() {
		return true // it ended before the park billed here, and was never billed here
	}
	if c.StartOn.After(day.AddDays(Horizon)) && m.BilledAt.IsZero() {
		return true // nothing of it falls due yet, its deposit included
	}
	if m.BilledAt.IsZero() || c.UpdatedAt.After(m.BilledAt) {
		return false
	}
	cycle := max(c.PaymentCycle, 1)
	next := m.LastFrom.AddMonths(cycle).AddDays(-3)
	return next.After(day.AddDays(Horizon)) || next.After(c.LastDay())
}

// baseKey is a line's key without its adjustment sequence.
func baseKey(key string) string {
	base, _, _ := strings.Cut(key, "#")
	return base
}

// ContractKey is the key of a contract's charge of one type for the period starting on from.
func ContractKey(contractID, chargeType string, from civil.Date) string {
	return "contract:" + contractID + ":" + chargeType + ":" + from.String()
}

var chargeNames = map[string]string{"rent": "租金", "property_fee": "物业费", "deposit": "押金", "penalty": "违约金",
	"booking": "共享设施使用费", "service": "服务费", "late_fee": "滞纳金"}

// ChargeName is a charge type in Chinese, as bills print it.
func ChargeName(t string) string { return chargeNames[t] }

// planContracts is every contract line a run on day bills: each charge of a period due by day +
// Horizon (and not before the park's billing start) and not billed yet, summed over the contract's units, and for each key billed before
// whose amount the schedule no longer gives, an adjustment by the difference.
func planContracts(contracts []leasing.Contract, billed map[string]Billed, marks map[string]Mark, day, from civil.Date) (lines []Line, adjustments int) {
	limit := day.AddDays(Horizon)
	expected := map[string]Line{}
	var order []string
	seen := map[string]bool{}
	for _, c := range contracts {
		if idle(c, marks[c.ID], day, from) {
			continue
		}
		seen[c.ID] = true
		for _, l := range c.Schedule().Lines {
			if l.Type == leasing.ChargeRentFree || l.Amount == 0 {
				continue
			}
			key := ContractKey(c.ID, string(l.Type), l.From)
			e, ok := expected[key]
			if !ok {
				e = Line{Key: key, Source: "contract", SourceID: c.ID, EnterpriseID: c.EnterpriseID, ChargeType: string(l.Type),
					From: l.From, To: l.To, DueOn: l.DueOn,
					Description: fmt.Sprintf("%s %s–%s · 合同 %s", ChargeName(string(l.Type)), l.From, l.To, c.Number)}
				order = append(order, key)
			}
			e.Gross += l.Amount
			if l.To.After(e.To) {
				e.To = l.To
			}
			expected[key] = e
		}
	}
	for _, key := range order {
		e := expected[key]
		b, done := billed[key]
		switch {
		case !done && !e.DueOn.After(limit) && !e.DueOn.Before(from):
			lines = append(lines, e)
		case done && b.Gross != e.Gross:
			lines = append(lines, adjustment(key, b, e.Gross-b.Gross, e.Description))
			adjustments++
		}
	}
	// Keys billed whose period the schedule no longer has (a termination, a unit removed from
	// the start): credited in full.
	var gone []string
	for key, b := range billed {
		if _, ok := expected[key]; !ok && b.Source == "contract" && seen[b.SourceID] && b.Gross != 0 {
			gone = append(gone, key)
		}
	}
	slices.Sort(gone)
	for _, key := range gone {
		b := billed[key]
		lines = append(lines, adjustment(key, b, -b.Gross, fmt.Sprintf("%s %s–%s", ChargeName(b.ChargeType), b.From, b.To)))
		adjustments++
	}
	return lines, adjustments
}

// adjustment corrects what was billed under key by delta.
func adjustment(key string, b Billed, delta measure.Money, what string) Line {
	sign := "补收"
	if delta < 0 {
		sign = "冲减"
	}
	return Line{Key: fmt.Sprintf("%s#%d", key, b.Adjustments+1), Adjusts: key, Source: b.Source, SourceID: b.SourceID, EnterpriseID: b.Enterprise,
		ChargeType: b.ChargeType, From: b.From, To: b.To, DueOn: b.DueOn, Gross: delta,
		Description: fmt.Sprintf("调整（%s）%s · 合同变更后重算", sign, what)}
}

// planCharges bills facility and service charges incurred by day and not billed yet.
func planCharges(charges []booking.Charge, billed map[string]Billed, day civil.Date) []Line {
	var out []Line
	for _, c := range charges {
		key := c.Source + ":" + c.SourceID
		if _, done := billed[key]; done || c.On.After(day) || c.Amount == 0 {
			continue
		}
		typ := "booking"
		if c.Source == "service_request" {
			typ = "service"
		}
		out = append(out, Line{Key: key, Source: c.Source, SourceID: c.SourceID, EnterpriseID: c.EnterpriseID, ChargeType: typ,
			From: c.On, To: c.On, DueOn: c.On, Gross: c.Amount, Description: ChargeName(typ) + " " + c.On.String() + " · " + c.Rule})
	}
	return out
}
