// Package leasing is the operator's 招商 and lease work (§4): contracts with their exact charge
// schedules, and the rules that keep a unit from being let twice.
package leasing

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Status is where a contract is in its life.
type Status string

const (
	Draft      Status = "draft"
	Active     Status = "active"
	Expired    Status = "expired"
	Terminated Status = "terminated"
	Renewed    Status = "renewed"
)

// Statuses lists every status.
var Statuses = []Status{Draft, Active, Expired, Terminated, Renewed}

// DayCount is how a whole lease month is priced.
type DayCount string

const (
	// DayCount365 prices a whole month at price × area × 365 / 12 (the default).
	DayCount365 DayCount = "365/12"
	// DayCountActual prices a whole month at price × area × its actual days.
	DayCountActual DayCount = "actual"
)

// PaymentCycles are the billing period lengths in lease months.
var PaymentCycles = []int{1, 3, 6, 12}

// MaxTermYears is the longest lease term the law allows: beyond twenty years a lease is void
// (《民法典》第七百零五条), and a schedule's cost grows with its term.
const MaxTermYears = 20

// ContractUnit is a unit let under a contract from From to To (inclusive). Units added or
// removed by amendment carry their own dates inside the contract's term.
type ContractUnit struct {
	UnitID string       `json:"unit_id"`
	Area   measure.Area `json:"area"` // gross area charged, fixed when the unit is let
	From   civil.Date   `json:"from"`
	To     civil.Date   `json:"to"`
}

// Period is an inclusive span of days.
type Period struct {
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
}

// Contains reports whether d falls in the period.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Step is an explicit price from a lease month on.
type Step struct {
	FromMonth int           `json:"from_month"`
	Price     measure.Price `json:"price"`
}

// Escalation raises the price: by a percentage every N months from a month, or by a table.
type Escalation struct {
	Kind        string `json:"kind"`         // none | percent | steps
	BasisPoints int    `json:"basis_points"` // percent: 500 = +5 %
	EveryMonths int    `json:"every_months"` // percent: usually 12
	FromMonth   int    `json:"from_month"`   // percent: the first raised lease month
	Steps       []Step `json:"steps"`        // steps
}

// Contract is a lease (租赁合同).
type Contract struct {
	ID            string         `json:"id"`
	Number        string         `json:"number"`
	ParkID        string         `json:"park_id"`
	EnterpriseID  string         `json:"enterprise_id"`
	LeadID        string         `json:"lead_id"` // the lead it was won from; its holds give way to it
	Status        Status         `json:"status"`
	StartOn       civil.Date     `json:"start_on"`
	EndOn         civil.Date     `json:"end_on"` // last day of the term, inclusive
	SignedOn      civil.Date     `json:"signed_on"`
	Units         []ContractUnit `json:"units"`
	Price         measure.Price  `json:"price"`        // rent, 元/㎡/天 on gross area
	PropertyFee   measure.Price  `json:"property_fee"` // 元/㎡/月
	RentFree      []Period       `json:"rent_free"`
	Escalation    Escalation     `json:"escalation"`
	PaymentCycle  int            `json:"payment_cycle"` // lease months per billing period
	DepositMonths int            `json:"deposit_months"`
	DayCount      DayCount       `json:"day_count"`
	TerminatedOn  civil.Date     `json:"terminated_on"` // last charged day of an early termination
	Penalty       measure.Money  `json:"penalty"`
	RenewalOf     string         `json:"renewal_of"` // the contract this one renews
	RenewedBy     string         `json:"renewed_by"`
	Note          string         `json:"note"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
}

// LastDay is the last day the contract charges for: the termination date or the end.
func (c Contract) LastDay() civil.Date {
	if !c.TerminatedOn.IsZero() && c.TerminatedOn.Before(c.EndOn) {
		return c.TerminatedOn
	}
	return c.EndOn
}

// ChargeType of a schedule line.
type ChargeType string

const (
	ChargeRent        ChargeType = "rent"
	ChargePropertyFee ChargeType = "property_fee"
	ChargeRentFree    ChargeType = "rent_free" // rent waived in a rent-free period, shown, not billed
	ChargeDeposit     ChargeType = "deposit"
	ChargePenalty     ChargeType = "penalty"
)

// ChargeTypes are every kind of schedule line.
var ChargeTypes = []ChargeType{ChargeRent, ChargePropertyFee, ChargeRentFree, ChargeDeposit, ChargePenalty}

// Line is one charge of a billing period for one unit.
type Line struct {
	Period int           `json:"period"` // 1-based billing period
	From   civil.Date    `json:"from"`
	To     civil.Date    `json:"to"`
	DueOn  civil.Date    `json:"due_on"` // in advance: the first day of the period
	UnitID string        `json:"unit_id"`
	Type   ChargeType    `json:"type"`
	Days   int           `json:"days"` // chargeable days the line covers
	Amount measure.Money `json:"amount"`
	Basis  string        `json:"basis"` // how the amount was computed, for the printed schedule
}

// Schedule is a contract's charges, with the convention it was computed under.
type Schedule struct {
	ContractID string        `json:"contract_id"`
	DayCount   DayCount      `json:"day_count"`
	Convention string        `json:"convention"`
	Lines      []Line        `json:"lines"`
	Total      measure.Money `json:"total" doc:"元；应收合计，含押金与违约金，不含免租 / yuan: everything billed, the refundable deposit and any penalty included, waived rent not"`
}
