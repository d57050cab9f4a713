package billing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Store is what receivables need of the data layer. Reads resolve ids in the caller's scope;
// the rest run in the transaction InTx opened, on a park the service resolved first.
type Store interface {
	DepositStore
	AgingStore
	BankStore
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string

	// CheckBillingPark resolves a park whose receivables the caller sees.
	CheckBillingPark(ctx context.Context, sc identity.Scope, parkID string) error
	// LockBillingPark makes a park's billing runs and payments queue behind each other.
	LockBillingPark(ctx context.Context, parkID string) error
	// BillingContracts are a park's signed contracts (every status but draft), with their units.
	BillingContracts(ctx context.Context, parkID string) ([]leasing.Contract, error)
	// BilledKeys are a park's billed lines summed by base key, and how far each contract was
	// billed.
	BilledKeys(ctx context.Context, parkID string) (map[string]Billed, map[string]Mark, error)
	// UnbilledCharges are a park's facility and service charges no line bills yet.
	UnbilledCharges(ctx context.Context, parkID string) ([]booking.Charge, error)
	// OverdueLines are the open rent and fee lines of issued bills of contracts with a late-fee
	// rule, due before a day, with their allocations and the fees billed on them.
	OverdueLines(ctx context.Context, parkID string, before civil.Date) ([]Overdue, error)
	TaxRates(ctx context.Context, parkID string) (map[string]int, error)
	// NextBillNumbers reserves n consecutive bill numbers of a park and returns the park's code
	// and the first.
	NextBillNumbers(ctx context.Context, parkID string, n int) (string, int, error)
	InsertBillingRun(ctx context.Context, sc identity.Scope, r RunResult) error
	// InsertBill writes a bill and its lines; a line key billed already is a conflict.
	InsertBill(ctx context.Context, b Bill) error
	ListBills(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Bill], error)
	// GetBill reads a bill with its lines in the caller's scope.
	GetBill(ctx context.Context, sc identity.Scope, id string) (Bill, error)
	LockBill(ctx context.Context, sc identity.Scope, id string) (Bill, error)
	SaveBill(ctx context.Context, b Bill) error
	// DeleteDraftBill deletes a draft bill and its lines.
	DeleteDraftBill(ctx context.Context, id string) error
	// SettleCredits marks a bill's negative lines paid in full (they become credit).
	SettleCredits(ctx context.Context, billID string) error
	// OpenLines are an enterprise's open positive lines of issued bills of a park, oldest first.
	OpenLines(ctx context.Context, parkID, enterpriseID string) ([]Line, error)
	// Credits are an enterprise's payments with money left to set against bills, oldest first.
	Credits(ctx context.Context, parkID, enterpriseID string) ([]Payment, error)
	InsertPayment(ctx context.Context, p Payment) error
	// Allocate sets part of a payment against a line: the payment's unallocated, the line's and
	// its bill's paid move together.
	Allocate(ctx context.Context, a Allocation) error
	ListPayments(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Payment], error)
	GetPayment(ctx context.Context, sc identity.Scope, id string) (Payment, error)
	LockPayment(ctx context.Context, sc identity.Scope, id string) (Payment, error)
	// ReversePayment removes a payment's allocations (and what they paid) and marks it reversed.
	ReversePayment(ctx context.Context, p Payment) ([]string, error)
	// RefreshBills sets bills' status from what is paid on them.
	RefreshBills(ctx context.Context, billIDs []string) error
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error)
	GetContract(ctx context.Context, sc identity.Scope, id string) (leasing.Contract, error)
}

// Notifier tells enterprises and staff of bills, in the transaction of ctx.
type Notifier interface {
	TellEnterprise(ctx context.Context, enterpriseID string, m notify.Message) error
}

// Service keeps bills, payments and deposits.
type Service struct {
	st     Store
	clock  civil.Clock
	notify Notifier
}

// NewService builds the receivables service; n may be nil (nobody is told).
func NewService(st Store, clock civil.Clock, n Notifier) *Service {
	return &Service{st: st, clock: clock, notify: n}
}

// WithClock is the service on another clock: what it bills and records, it does on that
// clock's day (a history loaded after the fact — the demo's and the generator's).
func (s *Service) WithClock(c civil.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}

// mayBill: administrators, park managers and finance staff of the park.
func mayBill(sc identity.Scope, parkID string) bool {
	return sc.May(identity.Bill) && sc.HasPark(parkID)
}

// RunBilling bills a park on a billing date (§5): every schedule line due by the date plus the
// horizon not billed yet, an adjustment for every billed line the schedule now prices
// differently, the facility and service charges incurred, the late fees accrued; grouped into
// one bill per enterprise and due date. Runs of one park queue behind each other and every
// line's key is unique, so a run repeated, or two at once, bills nothing twice.
func (s *Service) RunBilling(ctx context.Context, sc identity.Scope, r Run) (RunResult, error) {
	var f apperr.Fields
	if r.ParkID == "" {
		f.Required("park_id")
	}
	if r.BillingDate.IsZero() {
		f.Required("billing_date")
	} else if r.BillingDate.Year() < 2000 || r.BillingDate.Year() > 2100 {
		f.Add("billing_date", "out_of_range", "账单日期应在 2000–2100 年之间", "the billing date must lie within 2000–2100")
	}
	if err := f.Err(); err != nil {
		return RunResult{}, err
	}
	if err := s.bodyPark(ctx, sc, r.ParkID); err != nil {
		return RunResult{}, err
	}
	if !mayBill(sc, r.ParkID) {
		return RunResult{}, apperr.ErrForbidden()
	}
	out := RunResult{ID: s.st.NewID(), ParkID: r.ParkID, BillingDate: r.BillingDate, Bills: []Bill{}}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, r.ParkID); err != nil {
			return err
		}
		lines, adjustments, err := s.plan(ctx, r.ParkID, r.BillingDate)
		if err != nil {
			return err
		}
		out.Lines, out.Adjustments = len(lines), adjustments
		if err := s.st.InsertBillingRun(ctx, sc, out); err != nil {
			return err
		}
		bills, err := s.group(ctx, r.ParkID, out.ID, r.BillingDate, lines)
		if err != nil {
			return err
		}
		for _, b := range bills {
			if err := s.st.InsertBill(ctx, b); err != nil {
				return err
			}
			if r.Issue {
				if _, err = s.issue(ctx, sc, b); err != nil {
					return err
				}
				if b, err = s.st.GetBill(ctx, sc, b.ID); err != nil {
					return err
				}
			}
			out.Bills = append(out.Bills, b)
		}
		return s.st.Record(ctx, sc, "run", "billing_run", out.ID, nil, RunRecord{ParkID: r.ParkID, BillingDate: r.BillingDate,
			Bills: len(out.Bills), Lines: out.Lines, Adjustments: adjustments})
	})
	return out, err
}

// RunRecord is a run as the audit trail keeps it.
type RunRecord struct {
	ParkID      string     `json:"park_id"`
	BillingDate civil.Date `json:"billing_date"`
	Bills       int        `json:"bills"`
	Lines       int        `json:"lines"`
	Adjustments int        `json:"adjustments"`
}

// plan is every line a run of a park on day writes, in the transaction that holds the park.
func (s *Service) plan(ctx context.Context, parkID string, day civil.Date) ([]Line, int, error) {
	contracts, err := s.st.BillingContracts(ctx, parkID)
	if err != nil {
		return nil, 0, err
	}
	billed, marks, err := s.st.BilledKeys(ctx, parkID)
	if err != nil {
		return nil, 0, err
	}
	charges, err := s.st.UnbilledCharges(ctx, parkID)
	if err != nil {
		return nil, 0, err
	}
	overdue, err := s.st.OverdueLines(ctx, parkID, day)
	if err != nil {
		return nil, 0, err
	}
	_, from, err := s.st.BillingSettings(ctx, parkID)
	if err != nil {
		return nil, 0, err
	}
	lines, adjustments := planContracts(contracts, billed, marks, day, from)
	lines = append(lines, planCharges(charges, billed, day)...)
	// Late fees accrue to the billing date, never beyond today: a day that has not come is not late.
	lines = append(lines, planLateFees(overdue, civil.Min(day, s.clock.Today()))...)
	rates, err := s.st.TaxRates(ctx, parkID)
	if err != nil {
		return nil, 0, err
	}
	for i := range lines {
		l := &lines[i]
		l.ParkID, l.RateBP = parkID, rates[l.ChargeType]
		l.Net, l.Tax = Split(l.Gross, l.RateBP)
	}
	return lines, adjustments, nil
}

// group makes one draft bill per enterprise and due date (a line due before the billing date
// is due on it), numbered in order.
func (s *Service) group(ctx context.Context, parkID, runID string, day civil.Date, lines []Line) ([]Bill, error) {
	type key struct {
		ent string
		due civil.Date
	}
	byKey := map[key]*Bill{}
	var order []key
	for _, l := range lines {
		due := l.DueOn
		if due.Before(day) {
			due = day
		}
		k := key{l.EnterpriseID, due}
		b, ok := byKey[k]
		if !ok {
			b = &Bill{ID: s.st.NewID(), ParkID: parkID, EnterpriseID: l.EnterpriseID, RunID: runID, BillingDate: day, DueOn: due, Status: Draft}
			byKey[k] = b
			order = append(order, k)
		}
		l.ID, l.BillID = s.st.NewID(), b.ID
		b.Lines = append(b.Lines, l)
		b.Net, b.Tax, b.Gross = b.Net+l.Net, b.Tax+l.Tax, b.Gross+l.Gross
	}
	slices.SortFunc(order, func(a, b key) int {
		switch {
		case a.due.Before(b.due):
			return -1
		case b.due.Before(a.due):
			return 1
		}
		return strings.Compare(a.ent, b.ent)
	})
	if len(order) == 0 {
		return nil, nil
	}
	code, first, err := s.st.NextBillNumbers(ctx, parkID, len(order))
	if err != nil {
		return nil, err
	}
	out := make([]Bill, len(order))
	for i, k := range order {
		b := byKey[k]
		b.Number = fmt.Sprintf("ZD-%s-%s-%06d", code, strings.ReplaceAll(day.String()[:7], "-", ""), first+i)
		b.Outstanding = b.Gross
		out[i] = *b
	}
	return out, nil
}

// CheckPark resolves a park the caller bills (its staff who bill: 404 outside scope, 403 for a
// role that does not bill).
func (s *Service) CheckPark(ctx context.Context, sc identity.Scope, parkID string) error {
	if err := s.st.CheckBillingPark(ctx, sc, parkID); err != nil {
		return err
	}
	if !mayBill(sc, parkID) {
		return apperr.ErrForbidden()
	}
	return nil
}

// bodyPark resolves a park named in a body: one the caller may not see is a field not found.
func (s *Service) bodyPark(ctx context.Context, sc identity.Scope, parkID string) error {
	if parkID == "" {
		return apperr.FieldProblem("park_id", "required", "必填", "required")
	}
	err := s.st.CheckBillingPark(ctx, sc, parkID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.FieldProblem("park_id", "not_found", "园区不存在", "no such park")
	}
	return err
}

// Issue issues a draft bill: it no longer changes; its credits become the enterprise's credit,
// the enterprise's credit is set against it, and the enterprise is told.
func (s *Service) Issue(ctx context.Context, sc identity.Scope, id string) (Bill, error) {
	b, err := s.st.GetBill(ctx, sc, id)
	if err != nil {
		return Bill{}, err
	}
	if !mayBill(sc, b.ParkID) {
		return Bill{}, apperr.ErrForbidden()
	}
	var out Bill
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, b.ParkID); err != nil {
			return err
		}
		before, err := s.st.LockBill(ctx, sc, id)
		if err != nil {
			return err
		}
		if before.Status != Draft {
			return apperr.New(apperr.Conflict, "只有草稿账单可以开出", "only a draft bill can be issued").WithField("status", "not_draft")
		}
		if _, err = s.issue(ctx, sc, before); err != nil {
			return err
		}
		// Read back: the credit set against it may have paid it already.
		if out, err = s.st.GetBill(ctx, sc, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "issue", "bill", id, before, out)
	})
	return out, err
}

// DiscardDraft deletes a draft bill and its lines, so that a run on a mistaken day can be undone:
// its charges are billed by the next run.
func (s *Service) DiscardDraft(ctx context.Context, sc identity.Scope, id string) error {
	b, err := s.st.GetBill(ctx, sc, id)
	if err != nil {
		return err
	}
	if !mayBill(sc, b.ParkID) {
		return apperr.ErrForbidden()
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, b.ParkID); err != nil {
			return err
		}
		before, err := s.st.LockBill(ctx, sc, id)
		if err != nil {
			return err
		}
		if before.Status != Draft {
			return apperr.New(apperr.Conflict, "只有草稿账单可以作废删除", "only a draft bill can be discarded").WithField("status", "not_draft")
		}
		if err := s.st.DeleteDraftBill(ctx, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "delete", "bill", id, before, nil)
	})
}

// issue issues b in the transaction of ctx.
func (s *Service) issue(ctx context.Context, sc identity.Scope, b Bill) (Bill, error) {
	today := s.clock.Today()
	b.Status, b.IssuedOn = Issued, today
	if err := s.st.SaveBill(ctx, b); err != nil {
		return b, err
	}
	var credit measure.Money
	for _, l := range b.Lines {
		if l.Gross < 0 {
			credit -= l.Gross
		}
	}
	if credit > 0 {
		if err := s.st.SettleCredits(ctx, b.ID); err != nil {
			return b, err
		}
		note := Payment{ID: s.st.NewID(), ParkID: b.ParkID, EnterpriseID: b.EnterpriseID, PaidOn: today, Amount: credit, Method: "credit_note",
			Reference: b.Number, Unallocated: credit, CreatedBy: sc.Username}
		if err := s.st.InsertPayment(ctx, note); err != nil {
			return b, err
		}
	}
	if _, err := s.applyCredits(ctx, b.ParkID, b.EnterpriseID, today); err != nil {
		return b, err
	}
	if err := s.st.RefreshBills(ctx, []string{b.ID}); err != nil {
		return b, err
	}
	if s.notify != nil {
		m := notify.Message{Kind: "bill_issued", Link: "/billing/bills/" + b.ID, ParkID: "",
			TitleZh: "缴费通知：" + b.Number, TitleEn: "Payment notice: " + b.Number,
			BodyZh: fmt.Sprintf("应付 %s 元，请于 %s 前缴纳", b.Gross, b.DueOn), BodyEn: fmt.Sprintf("%s yuan due by %s", b.Gross, b.DueOn)}
		if err := s.notify.TellEnterprise(ctx, b.EnterpriseID, m); err != nil {
			return b, err
		}
	}
	return b, nil
}

// applyCredits sets an enterprise's unallocated payments against its open lines, oldest first,
// and says how much it set.
func (s *Service) applyCredits(ctx context.Context, parkID, enterpriseID string, on civil.Date) (measure.Money, error) {
	credits, err := s.st.Credits(ctx, parkID, enterpriseID)
	if err != nil || len(credits) == 0 {
		return 0, err
	}
	lines, err := s.st.OpenLines(ctx, parkID, enterpriseID)
	if err != nil {
		return 0, err
	}
	var applied measure.Money
	touched := map[string]bool{}
	li := 0
	for _, p := range credits {
		left := p.Unallocated
		for left > 0 && li < len(lines) {
			l := &lines[li]
			open := l.Gross - l.Paid
			amount := min(open, left)
			if err := s.st.Allocate(ctx, Allocation{ID: s.st.NewID(), PaymentID: p.ID, LineID: l.ID, Amount: amount, PaidOn: on}); err != nil {
				return 0, err
			}
			touched[l.BillID] = true
			l.Paid += amount
			left -= amount
			applied += amount
			if l.Paid == l.Gross {
				li++
			}
		}
	}
	ids := make([]string, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return applied, s.st.RefreshBills(ctx, ids)
}
