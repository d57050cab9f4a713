package demo

import (
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// billing gives 北京四季青 its receivables: billing runs three months ago (catching up every
// charge since the leases began), last month and this month; every tenant but one paying what
// the first run billed, so that one is overdue; a late-fee rule on the demo tenant's lease, its
// invoicing details, and one tenant moving out early with its deposit settled.
func (l *loader) billing(sjq, tenant string) error {
	sys := l.sys
	at := func(d civil.Date) *billing.Service {
		return l.sv.Billing.WithClock(instant(time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, civil.Shanghai)))
	}
	ents, err := l.sv.Enterprise.ListEnterprises(l.ctx, sys, enterprise.Filter{ParkID: sjq}, page.Request{Sort: "name", Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	ent := map[string]enterprise.Enterprise{}
	for _, e := range ents.Items {
		ent[e.ID] = e
	}
	if t, ok := ent[tenant]; ok {
		if _, err := l.sv.Billing.SetInvoiceDetails(l.ctx, sys, tenant, billing.InvoiceDetails{Name: t.Name, TaxID: t.CreditCode,
			AddressPhone: "北京市海淀区四季青路（演示） 010-6288 0000", BankAccount: "0200 0049 0920 0123 456"}); err != nil {
			return fmt.Errorf("demo invoicing details: %w", err)
		}
	}
	contracts, err := l.sv.Leasing.ListContracts(l.ctx, sys, leasing.Filter{ParkID: sjq, EnterpriseID: tenant}, page.Request{Limit: 1})
	if err != nil {
		return err
	}
	if len(contracts.Items) > 0 {
		if _, err := l.sv.Billing.SetLateFee(l.ctx, sys, contracts.Items[0].ID, &billing.LateFee{RateBP: 5, GraceDays: 10, CapBP: 1000}); err != nil {
			return err
		}
	}
	// Runs on the first of the month three months ago (catching up every charge since the
	// leases began), of last month and of this month; every tenant but the laggard pays what
	// the first run billed ten days later.
	this := civil.Of(l.today.Year(), l.today.Month(), 1)
	for i, day := range []civil.Date{this.AddMonths(-3), this.AddMonths(-1), this} {
		run, err := at(day).RunBilling(l.ctx, sys, billing.Run{ParkID: sjq, BillingDate: day, Issue: true})
		if err != nil {
			return fmt.Errorf("demo billing run of %s: %w", day, err)
		}
		if i > 0 || len(run.Bills) < 2 {
			continue
		}
		laggard := run.Bills[len(run.Bills)-1].EnterpriseID
		if laggard == tenant {
			laggard = run.Bills[0].EnterpriseID
		}
		if err := l.payAll(at(day.AddDays(10)), sjq, day.AddDays(10), ents.Items, func(id string) bool { return id == laggard }); err != nil {
			return err
		}
	}
	return l.moveOut(at, sjq, tenant)
}

// payAll pays, for every enterprise but those skip names, everything open on its issued bills.
func (l *loader) payAll(svc *billing.Service, parkID string, on civil.Date, ents []enterprise.Enterprise, skip func(string) bool) error {
	for _, e := range ents {
		if skip(e.ID) {
			continue
		}
		bills, err := svc.Bills(l.ctx, l.sys, billing.Filter{ParkID: parkID, EnterpriseID: e.ID}, page.Request{Limit: page.MaxLimit})
		if err != nil {
			return err
		}
		var open measure.Money
		for _, b := range bills.Items {
			if b.Status.Open() {
				open += b.Outstanding
			}
		}
		if open <= 0 {
			continue
		}
		if _, err := svc.RecordPayment(l.ctx, l.sys, billing.NewPayment{EnterpriseID: e.ID, ParkID: parkID, PaidOn: on, Amount: open,
			Method: "bank", Reference: "网银转账（演示）"}); err != nil {
			return fmt.Errorf("demo payment of %s: %w", e.Name, err)
		}
	}
	return nil
}

// moveOut ends one tenant's lease early, last month, bills the correction and settles its
// deposit: a deduction for repainting, the rest against what it still owes, then refunded.
func (l *loader) moveOut(at func(civil.Date) *billing.Service, parkID, tenant string) error {
	list, err := l.sv.Leasing.ListContracts(l.ctx, l.sys, leasing.Filter{ParkID: parkID, Status: leasing.Active}, page.Request{Limit: 20})
	if err != nil {
		return err
	}
	for _, k := range list.Items {
		if k.EnterpriseID == tenant || k.DepositMonths == 0 {
			continue
		}
		out := civil.Of(l.today.Year(), l.today.Month(), 1).AddDays(-1)
		if !out.After(k.StartOn) {
			continue
		}
		if _, err := l.sv.Leasing.TerminateContract(l.ctx, l.sys, k.ID, leasing.Termination{TerminatedOn: out}); err != nil {
			return fmt.Errorf("demo move-out: %w", err)
		}
		day := out.AddDays(1)
		if _, err := at(day).RunBilling(l.ctx, l.sys, billing.Run{ParkID: parkID, BillingDate: day, Issue: true}); err != nil {
			return err
		}
		_, err := at(day).SettleDeposit(l.ctx, l.sys, k.ID, billing.Settlement{SettledOn: day,
			Deductions: []billing.Deduction{{Reason: "墙面修复与保洁（演示）", Amount: measure.Yuan(2000)}}, ApplyToOpen: true})
		return err
	}
	return nil
}
