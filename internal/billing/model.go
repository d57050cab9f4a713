// Package billing is the parks' receivables (§5): billing runs that turn contracts' charge
// schedules and facility and service charges into bills, once per line whatever runs again;
// adjustment lines when a billed contract changes; payments allocated to the oldest open lines,
// credit and reversals; deposits settled at move-out; late fees; aging and dunning. It is not a
// general ledger.
package billing

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Status is where a bill is in its life.
type Status string

const (
	Draft      Status = "draft"
	Issued     Status = "issued"
	PartlyPaid Status = "partly_paid"
	Paid       Status = "paid"
	WrittenOff Status = "written_off"
)

// Statuses in lifecycle order.
var Statuses = []Status{Draft, Issued, PartlyPaid, Paid, WrittenOff}

// Open reports whether money is still asked for on the bill.
func (s Status) Open() bool { return s == Issued || s == PartlyPaid }

// ChargeTypes a bill line carries: a schedule's, a facility's or service's charge, a late fee.
var ChargeTypes = []string{"rent", "property_fee", "deposit", "penalty", "booking", "service", "late_fee"}

// Line is one charge on a bill. Key names what it bills — its source, charge type and period,
// and for an adjustment the sequence of the correction — and is unique in the database.
type Line struct {
	ID           string     `json:"id"`
	BillID       string     `json:"bill_id"`
	ParkID       string     `json:"park_id"`
	EnterpriseID string     `json:"enterprise_id"`
	Key          string     `json:"key"`
	Source       string     `json:"source"` // contract | booking | service_request | late_fee
	SourceID     string     `json:"source_id"`
	ChargeType   string     `json:"charge_type"`
	From         civil.Date `json:"period_from"`
	To           civil.Date `json:"period_to"`
	DueOn        civil.Date `json:"due_on"`
	Description  string     `json:"description"`
	// Adjusts is the key of the line an adjustment corrects.
	Adjusts string        `json:"adjusts,omitempty"`
	RateBP  int           `json:"rate_bp"` // tax rate in basis points
	Net     measure.Money `json:"net"`
	Tax     measure.Money `json:"tax"`
	Gross   measure.Money `json:"gross"`
	Paid    measure.Money `json:"paid"`
}

// Bill is one enterprise's charges due on one day.
type Bill struct {
	ID             string        `json:"id"`
	Number         string        `json:"number"`
	ParkID         string        `json:"park_id"`
	ParkName       string        `json:"park_name"`
	EnterpriseID   string        `json:"enterprise_id"`
	EnterpriseName string        `json:"enterprise_name"`
	RunID          string        `json:"run_id,omitempty"`
	BillingDate    civil.Date    `json:"billing_date"`
	DueOn          civil.Date    `json:"due_on"`
	Status         Status        `json:"status"`
	Net            measure.Money `json:"net"`
	Tax            measure.Money `json:"tax"`
	Gross          measure.Money `json:"gross"`
	Paid           measure.Money `json:"paid"`
	Outstanding    measure.Money `json:"outstanding"`
	IssuedOn       civil.Date    `json:"issued_on"`
	WriteOffReason string        `json:"write_off_reason"`
	Lines          []Line        `json:"lines,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Run asks for a billing run of a park on a billing date: every line due on or before the date
// plus the horizon (30 days: bills go out before the period) and not billed yet, every
// correction of what was billed, every late fee accrued to the date.
type Run struct {
	ParkID      string     `json:"park_id"`
	BillingDate civil.Date `json:"billing_date"`
	// Issue issues the bills at once (else they stay drafts for review).
	Issue bool `json:"issue"`
}

// RunResult is what a run wrote.
type RunResult struct {
	ID          string     `json:"id"`
	ParkID      string     `json:"park_id"`
	BillingDate civil.Date `json:"billing_date"`
	Bills       []Bill     `json:"bills"`
	Lines       int        `json:"lines"`
	Adjustments int        `json:"adjustments"`
}

// Payment is money received from an enterprise.
type Payment struct {
	ID             string        `json:"id"`
	ParkID         string        `json:"park_id"`
	EnterpriseID   string        `json:"enterprise_id"`
	EnterpriseName string        `json:"enterprise_name"`
	PaidOn         civil.Date    `json:"paid_on"`
	Amount         measure.Money `json:"amount"`
	Method         string        `json:"method"` // bank | cash | wechat | alipay | deposit | other
	Reference      string        `json:"reference"`
	// Unallocated is the enterprise's credit left from the payment.
	Unallocated    measure.Money `json:"unallocated"`
	ReversedOn     civil.Date    `json:"reversed_on"`
	ReversalReason string        `json:"reversal_reason"`
	Allocations    []Allocation  `json:"allocations,omitempty"`
	CreatedBy      string        `json:"created_by"`
	CreatedAt      time.Time     `json:"created_at"`
	// BankRow is the key of the statement row it was imported from, so a row is imported once.
	BankRow string `json:"-"`
}

// Methods of payment.
var Methods = []string{"bank", "cash", "wechat", "alipay", "deposit", "other"}

// Allocation is part of a payment set against a bill line.
type Allocation struct {
	ID         string        `json:"id"`
	PaymentID  string        `json:"payment_id"`
	LineID     string        `json:"line_id"`
	BillNumber string        `json:"bill_number,omitempty"`
	Amount     measure.Money `json:"amount"`
	PaidOn     civil.Date    `json:"paid_on"`
}

// NewPayment records a payment. Without allocations it is set against the enterprise's oldest
// open lines; an amount beyond everything open is refused unless AsCredit keeps the rest as
// the enterprise's credit.
type NewPayment struct {
	EnterpriseID string          `json:"enterprise_id"`
	ParkID       string          `json:"park_id"`
	PaidOn       civil.Date      `json:"paid_on"`
	Amount       measure.Money   `json:"amount"`
	Method       string          `json:"method"`
	Reference    string          `json:"reference"`
	Allocations  []AllocationFor `json:"allocations"`
	AsCredit     bool            `json:"as_credit"`
}

// AllocationFor sets part of a new payment against one line, by hand.
type AllocationFor struct {
	LineID string        `json:"line_id"`
	Amount measure.Money `json:"amount"`
}

// Reversal undoes a wrong payment.
type Reversal struct {
	Reason string     `json:"reason"`
	On     civil.Date `json:"on"`
}

// WriteOff gives up what is open on a bill.
type WriteOff struct {
	Reason string `json:"reason"`
}

// Deposit is a contract's deposit: billed, held (paid), and its settlement once moved out.
type Deposit struct {
	ContractID     string        `json:"contract_id"`
	ContractNumber string        `json:"contract_number"`
	EnterpriseID   string        `json:"enterprise_id"`
	Billed         measure.Money `json:"billed"`
	Held           measure.Money `json:"held"`
	Settlement     *Settlement   `json:"settlement,omitempty"`
}

// Deduction is part of a deposit kept at move-out, with why.
type Deduction struct {
	Reason string        `json:"reason"`
	Amount measure.Money `json:"amount"`
}

// Settlement settles a deposit at move-out: deductions, then what is left either refunded or
// (ApplyToOpen) set against the enterprise's open lines, the rest refunded.
type Settlement struct {
	SettledOn   civil.Date    `json:"settled_on"`
	Deductions  []Deduction   `json:"deductions"`
	ApplyToOpen bool          `json:"apply_to_open"`
	Held        measure.Money `json:"held"`
	Deducted    measure.Money `json:"deducted"`
	Applied     measure.Money `json:"applied"`
	Refunded    measure.Money `json:"refunded"`
}

// LateFee is a contract's late-fee rule (滞纳金): RateBP basis points of the overdue amount a day
// (5 is 0.05 % a day), from GraceDays after the due date, at most CapBP basis points of the
// line (0: no cap).
type LateFee struct {
	RateBP    int `json:"rate_bp"`
	GraceDays int `json:"grace_days"`
	CapBP     int `json:"cap_bp"`
}

// InvoiceDetails are an enterprise's 开票信息.
type InvoiceDetails struct {
	EnterpriseID string    `json:"enterprise_id"`
	Name         string    `json:"name"`
	TaxID        string    `json:"tax_id"`
	AddressPhone string    `json:"address_phone"`
	BankAccount  string    `json:"bank_account"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// InvoiceRequest asks for a bill's invoice, and records it once issued outside ParkOS.
type InvoiceRequest struct {
	BillID      string     `json:"bill_id"`
	RequestedBy string     `json:"requested_by"`
	RequestedOn civil.Date `json:"requested_on"`
	InvoiceNo   string     `json:"invoice_no"`
	InvoiceDate civil.Date `json:"invoice_date"`
}

// InvoiceIssued records the invoice issued for a bill.
type InvoiceIssued struct {
	InvoiceNo   string     `json:"invoice_no"`
	InvoiceDate civil.Date `json:"invoice_date"`
}

// Filter narrows a list of bills.
type Filter struct {
	ParkID       string
	EnterpriseID string
	Status       Status
	RunID        string
	DueFrom      civil.Date
	DueTo        civil.Date
}
