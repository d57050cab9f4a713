package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// dayClock is a clock the billing tests move from day to day, at noon in Shanghai.
func dayClock(c *movingClock, d civil.Date) {
	c.now = time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, civil.Shanghai)
}

// billingLease is a year's lease of the 100 m² unit A-3-301 of park 0 from 1 January 2026: rent
// 5 元/㎡/天 on the 365/12 convention (15,208.33 元 a month), property fee 20 元/㎡/月 (2,000 元),
// monthly in advance, two months' deposit (30,416.67 元).
func billingLease(t *testing.T, st *sqlstore.Store, w *World) leasing.Contract {
	t.Helper()
	k, err := ContractsOf(st).Create(ctx, identity.System(), leasing.Contract{Number: "HT-BILL-1", EnterpriseID: w.Enterprises[0].ID,
		StartOn: civil.Of(2026, 1, 1), EndOn: civil.Of(2026, 12, 31), Price: 50000, PropertyFee: 200000, PaymentCycle: 1, DepositMonths: 2,
		Status: leasing.Active, Units: []leasing.ContractUnit{{UnitID: w.Units[0][0].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func yuan(s string) measure.Money {
	m, err := measure.ParseYuan(s)
	if err != nil {
		panic(err)
	}
	return m
}

func lineOf(b billing.Bill, key string) billing.Line {
	for _, l := range b.Lines {
		if l.Key == key {
			return l
		}
	}
	return billing.Line{}
}

// TestBillingRunsPaymentsAndAging bills a lease month by month on both engines and checks every
// figure by hand: the lines a run writes and their tax, a run repeated, payments set against the
// oldest lines, aging on two days, late fees, the adjustments an early termination gives, an
// overpayment refused and then kept as credit, a reversal, and the deposit's settlement.
func TestBillingRunsPaymentsAndAging(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		svc := billing.NewService(st, clock, nil)
		park := w.Parks[0].ID
		finance, tenant := w.Scope(identity.Finance), w.Scope(identity.EntAdmin)
		k := billingLease(t, st, w)
		key := func(typ string, from civil.Date) string { return billing.ContractKey(k.ID, typ, from) }
		mustOK[*billing.LateFee](t, "late fee")(svc.SetLateFee(ctx, finance, k.ID, &billing.LateFee{RateBP: 5, GraceDays: 5, CapBP: 1000}))

		// 10 February: everything due by 12 March — the deposit, January to March.
		dayClock(clock, civil.Of(2026, 2, 10))
		_, err := svc.RunBilling(ctx, tenant, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 2, 10)})
		refusedWith(t, "a tenant runs billing", err, apperr.Forbidden)
		run := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 2, 10)}))
		if run.Lines != 7 || len(run.Bills) != 2 {
			t.Fatalf("first run: %d lines in %d bills, want 7 in 2", run.Lines, len(run.Bills))
		}
		first, second := run.Bills[0], run.Bills[1]
		if !first.DueOn.Equal(civil.Of(2026, 2, 10)) || first.Gross != yuan("64833.33") || !second.DueOn.Equal(civil.Of(2026, 3, 1)) || second.Gross != yuan("17208.33") {
			t.Errorf("bills: due %s %s, gross %s %s", first.DueOn, second.DueOn, first.Gross, second.Gross)
		}
		rent := lineOf(first, key("rent", civil.Of(2026, 1, 1)))
		fee := lineOf(first, key("property_fee", civil.Of(2026, 1, 1)))
		deposit := lineOf(first, key("deposit", civil.Of(2026, 1, 1)))
		if rent.Gross != yuan("15208.33") || rent.Net != yuan("13952.60") || rent.Tax != yuan("1255.73") || rent.RateBP != 900 {
			t.Errorf("January's rent: %+v", rent)
		}
		if fee.Gross != yuan("2000") || fee.Net != yuan("1886.79") || fee.Tax != yuan("113.21") || deposit.Gross != yuan("30416.67") || deposit.Tax != 0 {
			t.Errorf("January's fee %+v, the deposit %+v", fee, deposit)
		}
		if again := mustOK[billing.RunResult](t, "run again")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 2, 10)})); again.Lines != 0 {
			t.Errorf("the same run again billed %d lines", again.Lines)
		}
		// A draft is discarded and billed again by the next run.
		mustOK[struct{}](t, "discard")(struct{}{}, svc.DiscardDraft(ctx, finance, second.ID))
		redo := mustOK[billing.RunResult](t, "redo")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 2, 10)}))
		if redo.Lines != 2 || redo.Bills[0].Gross != yuan("17208.33") {
			t.Fatalf("the run after a discarded draft: %d lines", redo.Lines)
		}
		second = redo.Bills[0]
		run.Bills[1] = second
		if p, _ := svc.Bills(ctx, tenant, billing.Filter{}, page.Request{}); len(p.Items) != 0 {
			t.Errorf("the tenant sees %d draft bills", len(p.Items))
		}
		for _, b := range run.Bills {
			mustOK[billing.Bill](t, "issue")(svc.Issue(ctx, finance, b.ID))
		}
		_, err = svc.Issue(ctx, finance, first.ID)
		refusedWith(t, "issue twice", err, apperr.Conflict)

		// 15 February: 20,000 元 paid, set against the oldest line, the deposit.
		dayClock(clock, civil.Of(2026, 2, 15))
		pay := mustOK[billing.Payment](t, "pay")(svc.RecordPayment(ctx, finance, billing.NewPayment{EnterpriseID: w.Enterprises[0].ID, ParkID: park,
			PaidOn: civil.Of(2026, 2, 15), Amount: yuan("20000"), Method: "bank", Reference: "网银"}))
		if len(pay.Allocations) != 1 || pay.Allocations[0].LineID != deposit.ID || pay.Unallocated != 0 {
			t.Errorf("the payment went to %+v", pay.Allocations)
		}
		if b := mustOK[billing.Bill](t, "bill")(svc.Bill(ctx, tenant, first.ID)); b.Status != billing.PartlyPaid || b.Outstanding != yuan("44833.33") {
			t.Errorf("the first bill after 20,000: %s, %s open", b.Status, b.Outstanding)
		}
		if d := mustOK[billing.Deposit](t, "deposit")(svc.Deposit(ctx, tenant, k.ID)); d.Billed != yuan("30416.67") || d.Held != yuan("20000") {
			t.Errorf("deposit: %+v", d)
		}

		// Aging on 12 February (the payment came later) and on 15 April.
		early := mustOK[billing.Aging](t, "aging")(svc.AgingOn(ctx, finance, billing.AgingQuery{On: civil.Of(2026, 2, 12), ParkID: park}))
		if early.Total.Days30 != yuan("64833.33") || early.Total.NotDue != yuan("17208.33") || early.Total.Total != yuan("82041.66") {
			t.Errorf("aging on 12 February: %+v", early.Total)
		}
		late := mustOK[billing.Aging](t, "aging")(svc.AgingOn(ctx, finance, billing.AgingQuery{On: civil.Of(2026, 4, 15), ParkID: park}))
		if late.Total.Days90 != yuan("44833.33") || late.Total.Days60 != yuan("17208.33") || late.Total.Overdue != yuan("62041.66") || len(late.Rows) != 1 {
			t.Errorf("aging on 15 April: %+v", late.Total)
		}
		_, err = svc.AgingOn(ctx, tenant, billing.AgingQuery{On: civil.Of(2026, 4, 15)})
		refusedWith(t, "a tenant's aging", err, apperr.Forbidden)

		// 20 March: April is billed, and the late fees to date: 0.05 % a day from the sixth day
		// after its bill's due date. March's rent, due 1 March, unpaid: 14 days × 15,208.33 ×
		// 0.05 % = 106.46; January's rent, billed late on a bill due 10 February: 16 February to
		// 20 March, 33 days = 250.94.
		dayClock(clock, civil.Of(2026, 3, 20))
		march := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 3, 20), Issue: true}))
		fees := map[string]measure.Money{}
		for _, b := range march.Bills {
			for _, l := range b.Lines {
				if l.ChargeType == "late_fee" {
					fees[l.SourceID] = l.Gross
				}
			}
		}
		marchRent := lineOf(second, key("rent", civil.Of(2026, 3, 1)))
		if march.Lines != 8 || fees[marchRent.ID] != yuan("106.46") || fees[rent.ID] != yuan("250.94") {
			t.Errorf("the March run: %d lines, late fees %v", march.Lines, fees)
		}
		if again := mustOK[billing.RunResult](t, "again")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 3, 20)})); again.Lines != 0 {
			t.Errorf("the March run again billed %d lines", again.Lines)
		}
		if ahead := mustOK[billing.RunResult](t, "ahead")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 3, 24)})); ahead.Lines != 0 {
			t.Errorf("a run dated four days ahead billed %d lines (late fees for days to come?)", ahead.Lines)
		}

		// Terminated on 15 March with a 10,000 元 penalty: the 25 March run credits March's rent
		// beyond the 15 days used (15 × 500 = 7,500.00, so −7,708.33) and April's in full, and
		// bills the penalty and five more days of late fees.
		mustOK[leasing.Contract](t, "terminate")(ContractsOf(st).TerminateContract(ctx, identity.System(), k.ID,
			leasing.Termination{TerminatedOn: civil.Of(2026, 3, 15), Penalty: yuan("10000")}))
		dayClock(clock, civil.Of(2026, 3, 25))
		after := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 3, 25)}))
		adjusted := map[string]measure.Money{}
		var penalty measure.Money
		for _, b := range after.Bills {
			for _, l := range b.Lines {
				switch {
				case l.Adjusts != "":
					adjusted[l.Adjusts] = l.Gross
				case l.ChargeType == "penalty":
					penalty = l.Gross
				}
			}
		}
		if adjusted[key("rent", civil.Of(2026, 3, 1))] != yuan("-7708.33") || adjusted[key("rent", civil.Of(2026, 4, 1))] != yuan("-15208.33") ||
			adjusted[key("property_fee", civil.Of(2026, 4, 1))] != yuan("-2000") || penalty != yuan("10000") || after.Adjustments != 4 {
			t.Errorf("after the termination: adjustments %v (%d), penalty %s", adjusted, after.Adjustments, penalty)
		}
		if again := mustOK[billing.RunResult](t, "again")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 3, 25)})); again.Lines != 0 {
			t.Errorf("the run after the termination, again, billed %d lines", again.Lines)
		}
		for _, b := range after.Bills {
			mustOK[billing.Bill](t, "issue")(svc.Issue(ctx, finance, b.ID))
		}

		// An overpayment is refused until it is confirmed as credit; then reversed.
		dayClock(clock, civil.Of(2026, 4, 20))
		open := func() measure.Money {
			var sum measure.Money
			lines, err := st.OpenLines(ctx, park, w.Enterprises[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				sum += l.Gross - l.Paid
			}
			return sum
		}
		owed := open()
		big := billing.NewPayment{EnterpriseID: w.Enterprises[0].ID, ParkID: park, PaidOn: civil.Of(2026, 4, 20), Amount: owed + yuan("1000"), Method: "bank"}
		_, err = svc.RecordPayment(ctx, finance, big)
		refusedBy(t, "an overpayment not confirmed as credit", err, "exceeds_open")
		big.AsCredit = true
		credit := mustOK[billing.Payment](t, "credit")(svc.RecordPayment(ctx, finance, big))
		if credit.Unallocated != yuan("1000") || open() != 0 {
			t.Errorf("paid in full with credit: %s left, %s open", credit.Unallocated, open())
		}
		reversed := mustOK[billing.Payment](t, "reverse")(svc.ReversePayment(ctx, finance, credit.ID, billing.Reversal{Reason: "重复入账"}))
		if reversed.ReversedOn.IsZero() || open() != owed {
			t.Errorf("after the reversal %s open, want %s", open(), owed)
		}
		_, err = svc.ReversePayment(ctx, finance, credit.ID, billing.Reversal{Reason: "again"})
		refusedWith(t, "reverse twice", err, apperr.Conflict)

		// The deposit, paid in full by now (the termination's credit went to the oldest line, its
		// rest): a deduction beyond it is refused; 5,000 kept for repairs and the rest set
		// against the open lines.
		_, err = svc.SettleDeposit(ctx, finance, k.ID, billing.Settlement{SettledOn: civil.Of(2099, 12, 31)})
		refusedBy(t, "a settlement in the future", err, "out_of_range")
		_, err = svc.RecordPayment(ctx, identity.System(), billing.NewPayment{EnterpriseID: w.Enterprises[1].ID, ParkID: park, PaidOn: civil.Of(2026, 4, 20),
			Amount: 100, Method: "cash", AsCredit: true})
		refusedBy(t, "a payment of another park's enterprise", err, "not_found")
		lines, _ := st.OpenLines(ctx, park, w.Enterprises[0].ID)
		_, err = svc.RecordPayment(ctx, finance, billing.NewPayment{EnterpriseID: w.Enterprises[0].ID, ParkID: park, PaidOn: civil.Of(2026, 4, 20),
			Amount: yuan("5000"), Method: "cash", Allocations: []billing.AllocationFor{{LineID: lines[0].ID, Amount: 100}}})
		refusedBy(t, "money beyond the allocations not confirmed as credit", err, "exceeds_allocations")
		_, err = svc.SettleDeposit(ctx, finance, k.ID, billing.Settlement{SettledOn: civil.Of(2026, 4, 20), Deductions: []billing.Deduction{{Reason: "墙面修复", Amount: yuan("30416.68")}}})
		refusedBy(t, "a deduction above the deposit", err, "exceeds_deposit")
		settled := mustOK[billing.Settlement](t, "settle")(svc.SettleDeposit(ctx, finance, k.ID, billing.Settlement{SettledOn: civil.Of(2026, 4, 20),
			Deductions: []billing.Deduction{{Reason: "墙面修复", Amount: yuan("5000")}}, ApplyToOpen: true}))
		if settled.Held != yuan("30416.67") || settled.Applied != min(yuan("25416.67"), owed) || settled.Applied+settled.Refunded+settled.Deducted != settled.Held ||
			open() != owed-settled.Applied {
			t.Errorf("settlement %+v, open %s", settled, open())
		}
		_, err = svc.SettleDeposit(ctx, finance, k.ID, billing.Settlement{SettledOn: civil.Of(2026, 4, 20)})
		refusedWith(t, "settle twice", err, apperr.Conflict)
	})
}

// TestConcurrentBillingRunsBillOnce: eight runs of one park and day at once, on both engines,
// bill every line once.
func TestConcurrentBillingRunsBillOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 2, 10))
		svc := billing.NewService(st, clock, nil)
		billingLease(t, st, w)
		lines := make(chan int, 8)
		wins, conflicts, other := race(8, func(int) error {
			r, err := svc.RunBilling(ctx, w.Scope(identity.Finance), billing.Run{ParkID: w.Parks[0].ID, BillingDate: civil.Of(2026, 2, 10), Issue: true})
			lines <- r.Lines
			return err
		})
		close(lines)
		total := 0
		for n := range lines {
			total += n
		}
		if len(other) > 0 || wins+conflicts != 8 || total != 7 {
			t.Fatalf("%d runs succeeded, %d conflicts, errors %v: %d lines billed, want 7", wins, conflicts, other, total)
		}
		bills, err := svc.Bills(ctx, identity.System(), billing.Filter{ParkID: w.Parks[0].ID}, page.Request{})
		if err != nil || len(bills.Items) != 2 {
			t.Fatalf("bills: %d %v", len(bills.Items), err)
		}
	})
}

// TestBankStatementDunningAndInvoices: a GBK bank statement is matched by account and by name,
// refused whole on an unknown payer or a bad cell, committed once (the same file again changes
// nothing); reminders go out once per step of the schedule; invoicing details check the
// taxpayer number; an invoice is asked for and recorded.
func TestBankStatementDunningAndInvoices(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 2, 10))
		svc := billing.NewService(st, clock, notify.NewService(st, clock.Now))
		park, ent := w.Parks[0].ID, w.Enterprises[0]
		finance, tenant := w.Scope(identity.Finance), w.Scope(identity.EntAdmin)
		billingLease(t, st, w)
		run := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, finance, billing.Run{ParkID: park, BillingDate: civil.Of(2026, 2, 10), Issue: true}))
		first, second := run.Bills[0], run.Bills[1]
		dayClock(clock, civil.Of(2026, 2, 15))
		statement := func(rows ...string) []byte {
			text := "交易日期,借方金额,贷方金额,对方户名,对方账号,摘要\n" + strings.Join(rows, "\n") + "\n"
			gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
			if err != nil {
				t.Fatal(err)
			}
			return []byte(gbk)
		}

		_, err := svc.SetInvoiceDetails(ctx, tenant, ent.ID, billing.InvoiceDetails{Name: ent.Name, TaxID: "91110108MA0000000X", BankAccount: "0200 1234 5678"})
		refusedBy(t, "a taxpayer number with a wrong check character", err, "check_char")
		mustOK[billing.InvoiceDetails](t, "details")(svc.SetInvoiceDetails(ctx, tenant, ent.ID, billing.InvoiceDetails{Name: ent.Name, TaxID: ent.CreditCode,
			AddressPhone: "北京市海淀区 010-1234", BankAccount: "0200123456789"}))
		// Another enterprise of the park claiming the same account makes it ambiguous.
		twin := mustOK[enterprise.Enterprise](t, "twin")(EnterpriseOf(st).CreateEnterprise(ctx, identity.System(), enterprise.Enterprise{ParkID: park,
			Name: "测试企业（北京）有限公司", CreditCode: CreditCode(77), IndustryCode: "2761"}))
		mustOK[billing.InvoiceDetails](t, "twin details")(svc.SetInvoiceDetails(ctx, identity.System(), twin.ID, billing.InvoiceDetails{Name: twin.Name,
			TaxID: twin.CreditCode, BankAccount: "9999 0000"}))
		names := statement("2026-02-12,,1.00,测试企业(北京)有限公司,,", "2026-02-12,,1.00,某某,99990000,")
		if res := mustOK[billing.BankImport](t, "names")(svc.ImportStatement(ctx, finance, park, names, true)); len(res.Problems) != 0 ||
			res.Rows[0].EnterpriseID != twin.ID || res.Rows[1].EnterpriseID != twin.ID || res.Rows[1].MatchedBy != "account" {
			t.Errorf("a half-width name and a spaced account: %+v %+v", res.Rows, res.Problems)
		}
		mustOK[billing.InvoiceDetails](t, "twin claims")(svc.SetInvoiceDetails(ctx, identity.System(), twin.ID, billing.InvoiceDetails{Name: twin.Name,
			TaxID: twin.CreditCode, BankAccount: "0200-1234-5678-9"}))
		clash := statement("2026-02-12,,1.00,某某,0200123456789,")
		if res := mustOK[billing.BankImport](t, "clash")(svc.ImportStatement(ctx, finance, park, clash, true)); len(res.Problems) != 1 || res.Problems[0].Code != "ambiguous" {
			t.Errorf("an account two enterprises give: %+v", res.Problems)
		}
		mustOK[billing.InvoiceDetails](t, "twin again")(svc.SetInvoiceDetails(ctx, identity.System(), twin.ID, billing.InvoiceDetails{Name: twin.Name,
			TaxID: twin.CreditCode, BankAccount: "9999 0000"}))
		_, err = svc.SetInvoiceDetails(ctx, w.Scope(identity.EntMember), ent.ID, billing.InvoiceDetails{Name: ent.Name, TaxID: ent.CreditCode})
		refusedWith(t, "a tenant's member changes the invoicing details", err, apperr.Forbidden)

		bad := statement("2026-02-12,,10000.00,无名公司,999,货款", "2026-02-13,,12x,"+ent.Name+",,", "2026-02-13,500.00,,某供应商,1,付款")
		res := mustOK[billing.BankImport](t, "bad statement")(svc.ImportStatement(ctx, finance, park, bad, false))
		if res.Committed || len(res.Problems) != 2 || res.Problems[0].Row != 2 || res.Problems[0].Column != "D" || res.Problems[1].Column != "C" {
			t.Errorf("a bad statement: committed %v, problems %+v", res.Committed, res.Problems)
		}
		// Hostile rows: a future day, an amount past every bound, an account of LIKE wildcards.
		hostile := statement("2026-03-01,,1.00,"+ent.Name+",,", "2026-02-12,,999999999999999.99,"+ent.Name+",,", "2026-02-12,,1.00,某某,%,")
		if res := mustOK[billing.BankImport](t, "hostile")(svc.ImportStatement(ctx, finance, park, hostile, false)); res.Committed || len(res.Problems) != 3 {
			t.Errorf("hostile rows: committed %v, problems %+v", res.Committed, res.Problems)
		}
		good := statement("2026-02-12,,"+second.Gross.String()+",某某,0200 1234 5678 9,转账",
			"2026-02-14,,1000.00,"+ent.Name+",,缴费 "+first.Number)
		preview := mustOK[billing.BankImport](t, "preview")(svc.ImportStatement(ctx, finance, park, good, true))
		if preview.Committed || len(preview.Rows) != 2 || preview.Rows[0].MatchedBy != "account" || preview.Rows[0].BillID != second.ID ||
			preview.Rows[1].MatchedBy != "name" || preview.Rows[1].BillID != first.ID {
			t.Errorf("preview: %+v", preview.Rows)
		}
		if p, _ := svc.Payments(ctx, finance, billing.Filter{ParkID: park}, page.Request{}); len(p.Items) != 0 {
			t.Errorf("a preview wrote %d payments", len(p.Items))
		}
		done := mustOK[billing.BankImport](t, "commit")(svc.ImportStatement(ctx, finance, park, good, false))
		if !done.Committed || done.Total != second.Gross+yuan("1000") {
			t.Errorf("commit: %+v", done)
		}
		if b := mustOK[billing.Bill](t, "second")(svc.Bill(ctx, tenant, second.ID)); b.Status != billing.Paid {
			t.Errorf("the bill named by amount is %s", b.Status)
		}
		again := mustOK[billing.BankImport](t, "again")(svc.ImportStatement(ctx, finance, park, good, false))
		if p, _ := svc.Payments(ctx, finance, billing.Filter{ParkID: park}, page.Request{}); len(p.Items) != 2 || !again.Rows[0].Duplicate || again.Total != 0 {
			t.Errorf("the same statement again: %d payments, rows %+v", len(p.Items), again.Rows)
		}

		// Reminders: the first bill (due 10 February) is reminded three days before, on the day,
		// a week and a month after; each once.
		remind := func(d civil.Date) int {
			t.Helper()
			dayClock(clock, d)
			n, err := svc.Remind(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := remind(civil.Of(2026, 2, 7)); n != 1 {
			t.Errorf("reminders three days before: %d", n)
		}
		if n := remind(civil.Of(2026, 2, 7)); n != 0 {
			t.Errorf("reminders sent twice: %d", n)
		}
		if n := remind(civil.Of(2026, 2, 20)); n != 1 {
			t.Errorf("reminders a week after: %d", n)
		}
		inbox := mustOK[page.Page[notify.Notification]](t, "inbox")(notify.NewService(st, clock.Now).Inbox(ctx, tenant, page.Request{}))
		reminders := 0
		for _, n := range inbox.Items {
			if n.Kind == "bill_reminder" {
				reminders++
			}
		}
		if reminders != 2 {
			t.Errorf("the tenant got %d reminders, want 2", reminders)
		}

		// An invoice asked for and recorded.
		mustOK[billing.InvoiceRequest](t, "request")(svc.RequestInvoice(ctx, tenant, second.ID))
		_, err = svc.RequestInvoice(ctx, tenant, second.ID)
		refusedWith(t, "ask twice", err, apperr.Conflict)
		_, err = svc.RecordInvoice(ctx, tenant, second.ID, billing.InvoiceIssued{InvoiceNo: "12345678", InvoiceDate: civil.Of(2026, 2, 20)})
		refusedWith(t, "a tenant records an invoice", err, apperr.Forbidden)
		if r := mustOK[billing.InvoiceRequest](t, "record")(svc.RecordInvoice(ctx, finance, second.ID, billing.InvoiceIssued{InvoiceNo: "12345678",
			InvoiceDate: civil.Of(2026, 2, 20)})); r.InvoiceNo != "12345678" {
			t.Errorf("recorded invoice: %+v", r)
		}
	})
}

// TestBillingStartsOnItsDay: a park that moves its billing to ParkOS on 1 March 2026 never has
// the charges due before billed here.
func TestBillingStartsOnItsDay(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 3, 10))
		svc := billing.NewService(st, clock, nil)
		finance := w.Scope(identity.Finance)
		billingLease(t, st, w)
		_, err := svc.SetSettings(ctx, finance, w.Parks[0].ID, billing.Settings{ReminderDays: []int{0, 400}})
		refusedBy(t, "a reminder a year after", err, "bad_offset")
		mustOK[billing.Settings](t, "settings")(svc.SetSettings(ctx, finance, w.Parks[0].ID, billing.Settings{ReminderDays: []int{-3, 0, 7},
			BillingFrom: civil.Of(2026, 3, 1)}))
		run := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, finance, billing.Run{ParkID: w.Parks[0].ID, BillingDate: civil.Of(2026, 3, 10)}))
		if run.Lines != 4 { // March's and April's rent and fee; not the deposit, January or February
			t.Errorf("a run from 1 March billed %d lines, want 4", run.Lines)
		}
		if s := mustOK[billing.Settings](t, "read")(svc.SettingsOf(ctx, finance, w.Parks[0].ID)); !s.BillingFrom.Equal(civil.Of(2026, 3, 1)) || len(s.ReminderDays) != 3 {
			t.Errorf("settings read back: %+v", s)
		}
	})
}

// TestChargesAreBilledOnce: a completed booking's and a resolved priced service's charges are
// billed by the next run, under their own keys, once.
func TestChargesAreBilledOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 2, 10))
		svc := billing.NewService(st, clock, nil)
		for i, c := range []booking.Charge{
			{ID: st.NewID(), ParkID: w.Parks[0].ID, EnterpriseID: w.Enterprises[0].ID, Source: "booking", SourceID: "bk-1", Amount: yuan("240"), Rule: "会员价 2 小时", On: civil.Of(2026, 2, 3)},
			{ID: st.NewID(), ParkID: w.Parks[0].ID, EnterpriseID: w.Enterprises[0].ID, Source: "service_request", SourceID: "sr-1", Amount: yuan("800"), Rule: "合同审查", On: civil.Of(2026, 2, 5)},
			{ID: st.NewID(), ParkID: w.Parks[0].ID, EnterpriseID: w.Enterprises[0].ID, Source: "booking", SourceID: "bk-2", Amount: yuan("100"), Rule: "会员价 1 小时", On: civil.Of(2026, 2, 20)},
		} {
			if err := st.InTx(ctx, func(ctx context.Context) error { return st.InsertCharge(ctx, c) }); err != nil {
				t.Fatalf("charge %d: %v", i, err)
			}
		}
		run := mustOK[billing.RunResult](t, "run")(svc.RunBilling(ctx, w.Scope(identity.Finance), billing.Run{ParkID: w.Parks[0].ID, BillingDate: civil.Of(2026, 2, 10)}))
		if run.Lines != 2 || len(run.Bills) != 1 || run.Bills[0].Gross != yuan("1040") {
			t.Fatalf("charges billed: %d lines, %+v", run.Lines, run.Bills)
		}
		svcLine := lineOf(run.Bills[0], "service_request:sr-1")
		if svcLine.ChargeType != "service" || svcLine.RateBP != 600 || svcLine.Net != yuan("754.72") || svcLine.Tax != yuan("45.28") {
			t.Errorf("the service's line: %+v", svcLine)
		}
		if again := mustOK[billing.RunResult](t, "again")(svc.RunBilling(ctx, w.Scope(identity.Finance), billing.Run{ParkID: w.Parks[0].ID, BillingDate: civil.Of(2026, 2, 28)})); again.Lines != 1 {
			t.Errorf("the later run billed %d lines, want only the booking of 20 February", again.Lines)
		}
	})
}
