package billing

import (
	"context"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
)

// DepositStore is what deposits, late-fee rules and invoicing details need of the data layer.
type DepositStore interface {
	// DepositOf is what a contract's deposit lines billed and what was paid on them, with the
	// settlement when there is one.
	DepositOf(ctx context.Context, contractID string) (Deposit, error)
	InsertSettlement(ctx context.Context, contractID string, s Settlement, paymentID string, by string) error
	LateFeeOf(ctx context.Context, contractID string) (*LateFee, error)
	SaveLateFee(ctx context.Context, contractID string, r *LateFee) error
	InvoiceDetailsOf(ctx context.Context, enterpriseID string) (*InvoiceDetails, error)
	SaveInvoiceDetails(ctx context.Context, d InvoiceDetails) error
	InvoiceRequestOf(ctx context.Context, billID string) (*InvoiceRequest, error)
	SaveInvoiceRequest(ctx context.Context, r InvoiceRequest) error
	// EnterpriseDeposits are the deposits of an enterprise's contracts in the caller's scope.
	EnterpriseDeposits(ctx context.Context, sc identity.Scope, enterpriseID string) ([]Deposit, error)
}

// contract resolves a contract the caller works on, for a billing write.
func (s *Service) contract(ctx context.Context, sc identity.Scope, id string) (leasing.Contract, error) {
	c, err := s.st.GetContract(ctx, sc, id)
	if err != nil {
		return c, err
	}
	if !mayBill(sc, c.ParkID) {
		return c, apperr.ErrForbidden()
	}
	return c, nil
}

// Deposit is a contract's deposit: billed, held, settled.
func (s *Service) Deposit(ctx context.Context, sc identity.Scope, contractID string) (Deposit, error) {
	c, err := s.st.GetContract(ctx, sc, contractID)
	if err != nil {
		return Deposit{}, err
	}
	d, err := s.st.DepositOf(ctx, c.ID)
	d.ContractID, d.ContractNumber, d.EnterpriseID = c.ID, c.Number, c.EnterpriseID
	return d, err
}

// EnterpriseDeposits are the deposits of an enterprise's contracts.
func (s *Service) EnterpriseDeposits(ctx context.Context, sc identity.Scope, enterpriseID string) ([]Deposit, error) {
	if _, err := s.st.GetEnterprise(ctx, sc, enterpriseID); err != nil {
		return nil, err
	}
	return s.st.EnterpriseDeposits(ctx, sc, enterpriseID)
}

// SettleDeposit settles a contract's deposit at move-out (§5): deductions with their reasons,
// at most what is held; the rest set against the enterprise's open lines when asked, and what is
// left refunded. A deposit is settled once.
func (s *Service) SettleDeposit(ctx context.Context, sc identity.Scope, contractID string, in Settlement) (Settlement, error) {
	var f apperr.Fields
	switch {
	case in.SettledOn.IsZero():
		f.Required("settled_on")
	case in.SettledOn.Year() < 2000 || in.SettledOn.After(s.clock.Today()):
		f.Add("settled_on", "out_of_range", "结算日应在 2000 年之后且不晚于今天", "the settlement day must lie after 2000 and not after today")
	}
	var deducted measure.Money
	for i, d := range in.Deductions {
		field := fmt.Sprintf("deductions[%d]", i)
		if d.Reason == "" {
			f.Required(field + ".reason")
		}
		check.String(&f, field+".reason", d.Reason)
		check.Text(&f, field+".reason", d.Reason, check.NameLen)
		if d.Amount <= 0 {
			f.Add(field+".amount", "out_of_range", "扣款金额须大于 0", "a deduction must be greater than 0")
		}
		check.Money(&f, field+".amount", d.Amount)
		deducted += d.Amount
	}
	if len(in.Deductions) > 50 {
		f.Add("deductions", "too_many", "扣款项不能超过 50 项", "at most 50 deductions")
	}
	if err := f.Err(); err != nil {
		return Settlement{}, err
	}
	c, err := s.contract(ctx, sc, contractID)
	if err != nil {
		return Settlement{}, err
	}
	if c.Status == leasing.Draft || in.SettledOn.Before(c.LastDay()) && c.Status == leasing.Active {
		return Settlement{}, apperr.FieldProblem("settled_on", "not_moved_out", fmt.Sprintf("合同至 %s 仍在履行，退租后才能结算押金", c.LastDay()),
			fmt.Sprintf("the lease runs until %s; a deposit is settled at move-out", c.LastDay()))
	}
	out := in
	out.Deducted = deducted
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, c.ParkID); err != nil {
			return err
		}
		d, err := s.st.DepositOf(ctx, c.ID)
		if err != nil {
			return err
		}
		if d.Settlement != nil {
			return apperr.New(apperr.Conflict, "该合同押金已结算", "this deposit was settled already").WithField("contract_id", "settled")
		}
		if deducted > d.Held {
			return apperr.FieldProblem("deductions", "exceeds_deposit", fmt.Sprintf("扣款合计 %s 元超过所收押金 %s 元", deducted, d.Held),
				fmt.Sprintf("the deductions, %s yuan, exceed the %s yuan deposit held", deducted, d.Held))
		}
		out.Held = d.Held
		rest := d.Held - deducted
		paymentID := ""
		if in.ApplyToOpen && rest > 0 {
			open, err := s.st.OpenLines(ctx, c.ParkID, c.EnterpriseID)
			if err != nil {
				return err
			}
			var total measure.Money
			for _, l := range open {
				total += l.Gross - l.Paid
			}
			if applied := min(rest, total); applied > 0 {
				p := Payment{ID: s.st.NewID(), ParkID: c.ParkID, EnterpriseID: c.EnterpriseID, PaidOn: in.SettledOn, Amount: applied,
					Method: "deposit", Reference: "押金抵扣 " + c.Number, Unallocated: applied, CreatedBy: sc.Username}
				if _, err := s.pay(ctx, p, nil, false); err != nil {
					return err
				}
				out.Applied, paymentID = applied, p.ID
			}
		}
		out.Refunded = rest - out.Applied
		if err := s.st.InsertSettlement(ctx, c.ID, out, paymentID, sc.Username); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "settle", "deposit", c.ID, nil, SettlementRecord{ParkID: c.ParkID, EnterpriseID: c.EnterpriseID, Settlement: out})
	})
	return out, err
}

// SettlementRecord is a settlement as the audit trail keeps it, with its owners.
type SettlementRecord struct {
	ParkID       string `json:"park_id"`
	EnterpriseID string `json:"enterprise_id"`
	Settlement
}

// SetLateFee sets (or, nil, removes) a contract's late-fee rule; the next run bills by it.
func (s *Service) SetLateFee(ctx context.Context, sc identity.Scope, contractID string, r *LateFee) (*LateFee, error) {
	if r != nil {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	c, err := s.contract(ctx, sc, contractID)
	if err != nil {
		return nil, err
	}
	return r, s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LateFeeOf(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := s.st.SaveLateFee(ctx, c.ID, r); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "late_fee", c.ID, LateFeeRecord{ParkID: c.ParkID, EnterpriseID: c.EnterpriseID, Rule: before},
			LateFeeRecord{ParkID: c.ParkID, EnterpriseID: c.EnterpriseID, Rule: r})
	})
}

type LateFeeRecord struct {
	ParkID       string   `json:"park_id"`
	EnterpriseID string   `json:"enterprise_id"`
	Rule         *LateFee `json:"rule"`
}

// LateFeeOf is a contract's late-fee rule (nil when it has none).
func (s *Service) LateFeeOf(ctx context.Context, sc identity.Scope, contractID string) (*LateFee, error) {
	c, err := s.st.GetContract(ctx, sc, contractID)
	if err != nil {
		return nil, err
	}
	return s.st.LateFeeOf(ctx, c.ID)
}

// Validate checks invoicing details: the name, and the taxpayer number checked as a unified
// social credit code is.
func (d InvoiceDetails) Validate() error {
	var f apperr.Fields
	if d.Name == "" {
		f.Required("name")
	}
	for field, v := range map[string]string{"name": d.Name, "tax_id": d.TaxID, "address_phone": d.AddressPhone, "bank_account": d.BankAccount} {
		check.String(&f, field, v)
		check.Text(&f, field, v, check.NameLen)
	}
	if d.TaxID == "" {
		f.Required("tax_id")
	} else {
		enterprise.CheckCreditCode(&f, "tax_id", d.TaxID)
	}
	return f.Err()
}

// SetInvoiceDetails keeps an enterprise's invoicing details: its own administrator, or the
// park's staff.
func (s *Service) SetInvoiceDetails(ctx context.Context, sc identity.Scope, enterpriseID string, d InvoiceDetails) (InvoiceDetails, error) {
	ent, err := s.st.GetEnterprise(ctx, sc, enterpriseID)
	if err != nil {
		return InvoiceDetails{}, err
	}
	if !sc.CanEditOwnEnterprise(ent.ID) && !(sc.May(identity.Bill) && sc.HasPark(ent.ParkID)) {
		return InvoiceDetails{}, apperr.ErrForbidden()
	}
	if err := d.Validate(); err != nil {
		return InvoiceDetails{}, err
	}
	d.EnterpriseID, d.UpdatedAt = ent.ID, s.clock.Now()
	return d, s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.InvoiceDetailsOf(ctx, ent.ID)
		if err != nil {
			return err
		}
		if err := s.st.SaveInvoiceDetails(ctx, d); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "invoice_details", ent.ID, before, d)
	})
}

// InvoiceDetailsOf are an enterprise's invoicing details (nil when none are kept).
func (s *Service) InvoiceDetailsOf(ctx context.Context, sc identity.Scope, enterpriseID string) (*InvoiceDetails, error) {
	ent, err := s.st.GetEnterprise(ctx, sc, enterpriseID)
	if err != nil {
		return nil, err
	}
	return s.st.InvoiceDetailsOf(ctx, ent.ID)
}

// RequestInvoice asks for an issued bill's invoice (the enterprise or staff).
func (s *Service) RequestInvoice(ctx context.Context, sc identity.Scope, billID string) (InvoiceRequest, error) {
	b, err := s.st.GetBill(ctx, sc, billID)
	if err != nil {
		return InvoiceRequest{}, err
	}
	if !(sc.Role.IsEnterprise() && sc.EnterpriseID == b.EnterpriseID) && !mayBill(sc, b.ParkID) {
		return InvoiceRequest{}, apperr.ErrForbidden()
	}
	if b.Status == Draft || b.Status == WrittenOff && b.Paid <= 0 {
		return InvoiceRequest{}, apperr.New(apperr.Conflict, "草稿账单和未收款的核销账单不能开票", "a draft bill, or one written off with nothing paid, has no invoice").WithField("status", string(b.Status))
	}
	r := InvoiceRequest{BillID: b.ID, RequestedBy: sc.Username, RequestedOn: s.clock.Today()}
	return r, s.st.InTx(ctx, func(ctx context.Context) error {
		prior, err := s.st.InvoiceRequestOf(ctx, b.ID)
		if err != nil {
			return err
		}
		if prior != nil {
			return apperr.New(apperr.Conflict, "该账单已申请开票", "an invoice was asked for this bill already").WithField("bill_id", "requested")
		}
		if err := s.st.SaveInvoiceRequest(ctx, r); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "request_invoice", "bill", b.ID, nil, InvoiceRecord{ParkID: b.ParkID, EnterpriseID: b.EnterpriseID, InvoiceRequest: r})
	})
}

type InvoiceRecord struct {
	ParkID       string `json:"park_id"`
	EnterpriseID string `json:"enterprise_id"`
	InvoiceRequest
}

// RecordInvoice records the invoice issued outside ParkOS for a requested bill (staff).
func (s *Service) RecordInvoice(ctx context.Context, sc identity.Scope, billID string, in InvoiceIssued) (InvoiceRequest, error) {
	var f apperr.Fields
	if in.InvoiceNo == "" {
		f.Required("invoice_no")
	}
	check.String(&f, "invoice_no", in.InvoiceNo)
	check.Text(&f, "invoice_no", in.InvoiceNo, 40)
	if in.InvoiceDate.IsZero() {
		f.Required("invoice_date")
	} else if in.InvoiceDate.Year() < 2000 || in.InvoiceDate.After(s.clock.Today()) {
		f.Add("invoice_date", "out_of_range", "开票日期应在 2000 年之后且不晚于今天", "the invoice date must lie after 2000 and not after today")
	}
	if err := f.Err(); err != nil {
		return InvoiceRequest{}, err
	}
	b, err := s.st.GetBill(ctx, sc, billID)
	if err != nil {
		return InvoiceRequest{}, err
	}
	if !mayBill(sc, b.ParkID) {
		return InvoiceRequest{}, apperr.ErrForbidden()
	}
	var out InvoiceRequest
	return out, s.st.InTx(ctx, func(ctx context.Context) error {
		prior, err := s.st.InvoiceRequestOf(ctx, b.ID)
		if err != nil {
			return err
		}
		if prior == nil {
			return apperr.New(apperr.Conflict, "该账单尚未申请开票", "no invoice was asked for this bill").WithField("bill_id", "not_requested")
		}
		out = *prior
		out.InvoiceNo, out.InvoiceDate = in.InvoiceNo, in.InvoiceDate
		if err := s.st.SaveInvoiceRequest(ctx, out); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "record_invoice", "bill", b.ID, InvoiceRecord{ParkID: b.ParkID, EnterpriseID: b.EnterpriseID, InvoiceRequest: *prior},
			InvoiceRecord{ParkID: b.ParkID, EnterpriseID: b.EnterpriseID, InvoiceRequest: out})
	})
}

// InvoiceRequestOf is a bill's invoice request (nil when none).
func (s *Service) InvoiceRequestOf(ctx context.Context, sc identity.Scope, billID string) (*InvoiceRequest, error) {
	b, err := s.st.GetBill(ctx, sc, billID)
	if err != nil {
		return nil, err
	}
	return s.st.InvoiceRequestOf(ctx, b.ID)
}
