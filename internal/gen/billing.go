package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// The billing history runs up to the generator's "today", 30 June 2026: every charge of the
// schedule due in the scale's months of bills before it (a year from July 2025; a quarter nationally).
var (
	billingTo = civil.Of(2026, 6, 30)
	// genTax are the default tax rates of migration 0034.
	genTax = map[string]int{"rent": 900, "property_fee": 600, "deposit": 0}
)

var (
	billCols = []string{"id", "number", "park_id", "enterprise_id", "billing_date", "due_on", "status", "net", "tax", "gross", "paid", "issued_on",
		"created_at", "updated_at"}
	billLineCols = []string{"id", "bill_id", "park_id", "enterprise_id", "line_key", "source", "source_id", "charge_type", "period_from",
		"period_to", "due_on", "description", "rate_bp", "net", "tax", "gross", "paid"}
	paymentCols = []string{"id", "park_id", "enterprise_id", "paid_on", "amount", "method", "reference", "unallocated", "created_by", "created_at"}
)

// billingHistory bills a park's leases the year the service would have: each period's rent and
// fee (and a deposit at the start) from its contract's own schedule, one bill per enterprise and
// due date, under the keys the billing service uses, so that a later run bills nothing twice.
// Nine in ten bills due before April 2026 are paid within twenty days of their due date, six in
// ten of the later ones; the rest are open.
func (g *generator) billingHistory(b *sqlstore.Bulk, parkID, code string, leases []leasing.Contract) error {
	type key struct {
		ent string
		due civil.Date
	}
	bills := map[key][]billing.Line{}
	for _, k := range leases {
		sums := map[string]billing.Line{}
		var order []string
		for _, l := range k.Schedule().Lines {
			if l.Type == leasing.ChargeRentFree || l.Amount == 0 || l.DueOn.Before(g.billingFrom) || l.DueOn.After(billingTo) {
				continue
			}
			lk := billing.ContractKey(k.ID, string(l.Type), l.From)
			s, ok := sums[lk]
			if !ok {
				s = billing.Line{Key: lk, Source: "contract", SourceID: k.ID, EnterpriseID: k.EnterpriseID, ChargeType: string(l.Type),
					From: l.From, To: l.To, DueOn: l.DueOn, Description: fmt.Sprintf("%s %s–%s · 合同 %s", billing.ChargeName(string(l.Type)), l.From, l.To, k.Number)}
				order = append(order, lk)
			}
			s.Gross += l.Amount
			sums[lk] = s
		}
		for _, lk := range order {
			l := sums[lk]
			l.RateBP = genTax[l.ChargeType]
			l.Net, l.Tax = billing.Split(l.Gross, l.RateBP)
			bills[key{l.EnterpriseID, l.DueOn}] = append(bills[key{l.EnterpriseID, l.DueOn}], l)
		}
	}
	keys := make([]key, 0, len(bills))
	for k := range bills {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.due.Before(b.due):
			return -1
		case b.due.Before(a.due):
			return 1
		}
		return strings.Compare(a.ent, b.ent)
	})
	var billRows, lineRows, payRows, allocRows [][]any
	for i, k := range keys {
		lines := bills[k]
		id, now := g.id(), g.stamp()
		var net, tax, gross measure.Money
		for _, l := range lines {
			net, tax, gross = net+l.Net, tax+l.Tax, gross+l.Gross
		}
		paidShare := 6
		if k.due.Before(civil.Of(2026, 4, 1)) {
			paidShare = 9
		}
		paid := g.rnd.IntN(10) < paidShare
		status, paidAmount, pid, on := "issued", measure.Money(0), "", civil.Date{}
		if paid {
			status, paidAmount, pid, on = "paid", gross, g.id(), k.due.AddDays(g.rnd.IntN(20))
			payRows = append(payRows, []any{pid, parkID, k.ent, on, gross, "bank", "", measure.Money(0), "gen", now})
		}
		billRows = append(billRows, []any{id, fmt.Sprintf("ZD-%s-%s-%06d", code, strings.ReplaceAll(k.due.String()[:7], "-", ""), i+1), parkID, k.ent,
			k.due, k.due, status, net, tax, gross, paidAmount, k.due, now, now})
		for _, l := range lines {
			lid, linePaid := g.id(), measure.Money(0)
			if paid {
				linePaid = l.Gross
				allocRows = append(allocRows, []any{g.id(), pid, parkID, lid, l.Gross, on})
			}
			lineRows = append(lineRows, []any{lid, id, parkID, l.EnterpriseID, l.Key, l.Source, l.SourceID, l.ChargeType, l.From, l.To, l.DueOn,
				l.Description, l.RateBP, l.Net, l.Tax, l.Gross, linePaid})
		}
	}
	g.stats.Bills += len(billRows)
	g.stats.Payments += len(payRows)
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"bills", billCols, billRows}, {"bill_lines", billLineCols, lineRows}, {"payments", paymentCols, payRows},
		{"payment_allocations", []string{"id", "payment_id", "park_id", "line_id", "amount", "paid_on"}, allocRows},
		{"bill_counters", []string{"park_id", "next"}, [][]any{{parkID, len(keys) + 1}}},
		// The park bills in ParkOS from the history's first day: what fell due before was
		// billed elsewhere, so a run never catches it up.
		{"park_billing_settings", []string{"park_id", "reminder_days", "billing_from"}, [][]any{{parkID, "-3,0,7,30", g.billingFrom}}},
	} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return fmt.Errorf("%s: %w", step.table, err)
		}
	}
	return nil
}
