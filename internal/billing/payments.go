package billing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// Validate checks a payment's own fields.
func (n NewPayment) Validate() error {
	var f apperr.Fields
	if n.EnterpriseID == "" {
		f.Required("enterprise_id")
	}
	if n.ParkID == "" {
		f.Required("park_id")
	}
	if n.PaidOn.IsZero() {
		f.Required("paid_on")
	} else if n.PaidOn.Year() < 2000 || n.PaidOn.Year() > 2100 {
		f.Add("paid_on", "out_of_range", "日期应在 2000–2100 年之间", "the day must lie within 2000–2100")
	}
	if n.Amount <= 0 {
		f.Add("amount", "out_of_range", "金额须大于 0", "the amount must be greater than 0")
	}
	check.Money(&f, "amount", n.Amount)
	if !slices.Contains(Methods, n.Method) || n.Method == "deposit" {
		f.Add("method", "unknown_value", "付款方式应为 bank、cash、wechat、alipay 或 other", "method must be bank, cash, wechat, alipay or other")
	}
	check.String(&f, "reference", n.Reference)
	check.Text(&f, "reference", n.Reference, check.NameLen)
	for i, a := range n.Allocations {
		if a.LineID == "" {
			f.Required(fmt.Sprintf("allocations[%d].line_id", i))
		}
		if a.Amount <= 0 {
			f.Add(fmt.Sprintf("allocations[%d].amount", i), "out_of_range", "金额须大于 0", "the amount must be greater than 0")
		}
	}
	return f.Err()
}

// RecordPayment records money received and sets it against bills: by hand when allocations are
// given, else against the enterprise's oldest open lines. What is left over stays as the
// enterprise's credit only when AsCredit says so; otherwise an amount beyond everything open is
// refused, naming what is open.
func (s *Service) RecordPayment(ctx context.Context, sc identity.Scope, n NewPayment) (Payment, error) {
	if err := n.Validate(); err != nil {
		return Payment{}, err
	}
	if err := s.bodyPark(ctx, sc, n.ParkID); err != nil {
		return Payment{}, err
	}
	if !mayBill(sc, n.ParkID) {
		return Payment{}, apperr.ErrForbidden()
	}
	ent, err := s.st.GetEnterprise(ctx, sc, n.EnterpriseID)
	if apperr.Is(err, apperr.NotFound) || err == nil && ent.ParkID != n.ParkID {
		return Payment{}, apperr.FieldProblem("enterprise_id", "not_found", "该园区没有这家企业", "no such enterprise in the park")
	}
	if err != nil {
		return Payment{}, err
	}
	p := Payment{ID: s.st.NewID(), ParkID: n.ParkID, EnterpriseID: ent.ID, EnterpriseName: ent.Name, PaidOn: n.PaidOn, Amount: n.Amount,
		Method: n.Method, Reference: n.Reference, Unallocated: n.Amount, CreatedBy: sc.Username}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, n.ParkID); err != nil {
			return err
		}
		paid, err := s.pay(ctx, p, n.Allocations, n.AsCredit)
		if err != nil {
			return err
		}
		if p, err = s.st.GetPayment(ctx, sc, paid.ID); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "payment", p.ID, nil, p)
	})
	return p, err
}

// pay writes p and its allocations in the transaction of ctx.
func (s *Service) pay(ctx context.Context, p Payment, byHand []AllocationFor, asCredit bool) (Payment, error) {
	open, err := s.st.OpenLines(ctx, p.ParkID, p.EnterpriseID)
	if err != nil {
		return p, err
	}
	var plan []Allocation
	if len(byHand) > 0 {
		var sum measure.Money
		for i, a := range byHand {
			j := slices.IndexFunc(open, func(l Line) bool { return l.ID == a.LineID })
			field := fmt.Sprintf("allocations[%d]", i)
			if j < 0 {
				return p, apperr.FieldProblem(field+".line_id", "not_found", "该企业在本园区没有这条未结清的账单明细", "no such open line of the enterprise in this park")
			}
			if left := open[j].Gross - open[j].Paid; a.Amount > left {
				return p, apperr.FieldProblem(field+".amount", "exceeds_open", fmt.Sprintf("超过该明细未付金额 %s 元", left), fmt.Sprintf("more than the %s yuan open on the line", left))
			}
			open[j].Paid += a.Amount
			sum += a.Amount
			plan = append(plan, Allocation{LineID: a.LineID, Amount: a.Amount})
		}
		if sum > p.Amount {
			return p, apperr.FieldProblem("allocations", "exceeds_payment", fmt.Sprintf("分配合计 %s 元超过付款金额", sum), fmt.Sprintf("the allocations, %s yuan, exceed the payment", sum))
		}
		if rest := p.Amount - sum; rest > 0 && !asCredit {
			return p, apperr.FieldProblem("amount", "exceeds_allocations", fmt.Sprintf("付款比分配多 %s 元；须确认作为预存款（as_credit）", rest),
				fmt.Sprintf("the payment is %s yuan more than allocated; confirm it as credit (as_credit)", rest))
		}
	} else {
		left := p.Amount
		for _, l := range open {
			if left == 0 {
				break
			}
			amount := min(l.Gross-l.Paid, left)
			plan = append(plan, Allocation{LineID: l.ID, Amount: amount})
			left -= amount
		}
	}
	var allocated measure.Money
	for _, a := range plan {
		allocated += a.Amount
	}
	if rest := p.Amount - allocated; rest > 0 && !asCredit && len(byHand) == 0 {
		var total measure.Money
		for _, l := range open {
			total += l.Gross - l.Paid
		}
		return p, apperr.FieldProblem("amount", "exceeds_open", fmt.Sprintf("付款超过全部未付金额 %s 元；多出的 %s 元须确认作为预存款（as_credit）", total, rest),
			fmt.Sprintf("the payment exceeds everything open, %s yuan; confirm the %s yuan left as credit (as_credit)", total, rest))
	}
	if err := s.st.InsertPayment(ctx, p); err != nil {
		return p, err
	}
	touched := map[string]bool{}
	for _, a := range plan {
		a.ID, a.PaymentID, a.PaidOn = s.st.NewID(), p.ID, p.PaidOn
		if err := s.st.Allocate(ctx, a); err != nil {
			return p, err
		}
		p.Allocations = append(p.Allocations, a)
		p.Unallocated -= a.Amount
		i := slices.IndexFunc(open, func(l Line) bool { return l.ID == a.LineID })
		touched[open[i].BillID] = true
	}
	ids := make([]string, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return p, s.st.RefreshBills(ctx, ids)
}

// PayBill records a payment set by hand against one bill's open lines, oldest first; what is
// left over stays as credit only when AsCredit confirms it.
func (s *Service) PayBill(ctx context.Context, sc identity.Scope, billID string, n NewPayment) (Payment, error) {
	b, err := s.st.GetBill(ctx, sc, billID)
	if err != nil {
		return Payment{}, err
	}
	if !b.Status.Open() {
		return Payment{}, apperr.New(apperr.Conflict, "该账单没有未付金额", "nothing is open on this bill").WithField("status", string(b.Status))
	}
	n.ParkID, n.EnterpriseID = b.ParkID, b.EnterpriseID
	for _, l := range b.Lines {
		if open := l.Gross - l.Paid; open > 0 && n.Amount > 0 {
			var sum measure.Money
			for _, a := range n.Allocations {
				sum += a.Amount
			}
			if amount := min(open, n.Amount-sum); amount > 0 {
				n.Allocations = append(n.Allocations, AllocationFor{LineID: l.ID, Amount: amount})
			}
		}
	}
	return s.RecordPayment(ctx, sc, n)
}

// ReversePayment undoes a wrong payment with a reason: its allocations are removed, the bills it
// paid are open again, and the reversal is audited.
func (s *Service) ReversePayment(ctx context.Context, sc identity.Scope, id string, r Reversal) (Payment, error) {
	var f apperr.Fields
	if strings.TrimSpace(r.Reason) == "" {
		f.Required("reason")
	}
	check.String(&f, "reason", r.Reason)
	check.Text(&f, "reason", r.Reason, check.NoteLen)
	if err := f.Err(); err != nil {
		return Payment{}, err
	}
	before, err := s.st.GetPayment(ctx, sc, id)
	if err != nil {
		return Payment{}, err
	}
	if !mayBill(sc, before.ParkID) {
		return Payment{}, apperr.ErrForbidden()
	}
	if r.On.IsZero() {
		r.On = s.clock.Today()
	}
	var out Payment
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, before.ParkID); err != nil {
			return err
		}
		p, err := s.st.LockPayment(ctx, sc, id)
		if err != nil {
			return err
		}
		if !p.ReversedOn.IsZero() {
			return apperr.New(apperr.Conflict, "该付款已冲回", "this payment was reversed already").WithField("status", "reversed")
		}
		if p.Method == "credit_note" || p.Method == "deposit" {
			return apperr.FieldProblem("method", "not_reversible", "贷项与押金抵扣不能冲回", "a credit note or a deposit set-off cannot be reversed")
		}
		p.ReversedOn, p.ReversalReason = r.On, r.Reason
		bills, err := s.st.ReversePayment(ctx, p)
		if err != nil {
			return err
		}
		if err := s.st.RefreshBills(ctx, bills); err != nil {
			return err
		}
		p.Unallocated, p.Allocations = 0, nil
		out = p
		return s.st.Record(ctx, sc, "reverse", "payment", id, before, out)
	})
	return out, err
}

// WriteOff gives up what is open on an issued bill, with a reason.
func (s *Service) WriteOff(ctx context.Context, sc identity.Scope, id string, w WriteOff) (Bill, error) {
	var f apperr.Fields
	if strings.TrimSpace(w.Reason) == "" {
		f.Required("reason")
	}
	check.String(&f, "reason", w.Reason)
	check.Text(&f, "reason", w.Reason, check.NoteLen)
	if err := f.Err(); err != nil {
		return Bill{}, err
	}
	b, err := s.st.GetBill(ctx, sc, id)
	if err != nil {
		return Bill{}, err
	}
	if !mayBill(sc, b.ParkID) {
		return Bill{}, apperr.ErrForbidden()
	}
	var out Bill
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockBill(ctx, sc, id)
		if err != nil {
			return err
		}
		if !before.Status.Open() {
			return apperr.New(apperr.Conflict, "只有已开出且未付清的账单可以核销", "only an issued bill not paid in full can be written off").WithField("status", "not_open")
		}
		out = before
		out.Status, out.WriteOffReason = WrittenOff, w.Reason
		if err := s.st.SaveBill(ctx, out); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "write_off", "bill", id, before, out)
	})
	return out, err
}

// Bills lists bills in the caller's scope: an enterprise's users its own issued bills, staff
// their parks'.
func (s *Service) Bills(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Bill], error) {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return page.Page[Bill]{}, apperr.FieldProblem("status", "unknown_value", "状态应为 draft、issued、partly_paid、paid 或 written_off",
			"status must be draft, issued, partly_paid, paid or written_off")
	}
	return s.st.ListBills(ctx, sc, f, req)
}

// Bill is one bill with its lines.
func (s *Service) Bill(ctx context.Context, sc identity.Scope, id string) (Bill, error) {
	return s.st.GetBill(ctx, sc, id)
}

// Payments lists payments in the caller's scope.
func (s *Service) Payments(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Payment], error) {
	return s.st.ListPayments(ctx, sc, f, req)
}

// Payment is one payment with its allocations.
func (s *Service) Payment(ctx context.Context, sc identity.Scope, id string) (Payment, error) {
	return s.st.GetPayment(ctx, sc, id)
}
