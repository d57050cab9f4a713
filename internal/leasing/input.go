package leasing

import (
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// ContractTerms are the terms a caller sets on a draft: everything but the park (it follows
// from the units), the status, the renewal links, the termination and the timestamps.
type ContractTerms struct {
	Number        string         `json:"number"`
	EnterpriseID  string         `json:"enterprise_id"`
	LeadID        string         `json:"lead_id"`
	StartOn       civil.Date     `json:"start_on"`
	EndOn         civil.Date     `json:"end_on"`
	SignedOn      civil.Date     `json:"signed_on"`
	Units         []ContractUnit `json:"units"`
	Price         measure.Price  `json:"price"`
	PropertyFee   measure.Price  `json:"property_fee"`
	RentFree      []Period       `json:"rent_free"`
	Escalation    Escalation     `json:"escalation"`
	PaymentCycle  int            `json:"payment_cycle"`
	DepositMonths int            `json:"deposit_months"`
	DayCount      DayCount       `json:"day_count"`
	Note          string         `json:"note"`
}

// NewContract records a contract: a draft, or with status "active" one signed on creation;
// RenewalOf names the contract it succeeds.
type NewContract struct {
	ContractTerms
	Status    Status `json:"status"`
	RenewalOf string `json:"renewal_of"`
}

// ContractChange is a draft's new terms (PATCH applies a JSON merge patch to them).
type ContractChange = ContractTerms

// TermsOf are a contract's caller-set terms, the base a merge patch applies to.
func TermsOf(k Contract) ContractTerms {
	return ContractTerms{Number: k.Number, EnterpriseID: k.EnterpriseID, LeadID: k.LeadID, StartOn: k.StartOn,
		EndOn: k.EndOn, SignedOn: k.SignedOn, Units: k.Units, Price: k.Price, PropertyFee: k.PropertyFee,
		RentFree: k.RentFree, Escalation: k.Escalation, PaymentCycle: k.PaymentCycle, DepositMonths: k.DepositMonths,
		DayCount: k.DayCount, Note: k.Note}
}

// Contract is a contract with these terms and nothing the server owns.
func (t ContractTerms) Contract() Contract {
	return Contract{Number: t.Number, EnterpriseID: t.EnterpriseID, LeadID: t.LeadID, StartOn: t.StartOn, EndOn: t.EndOn,
		SignedOn: t.SignedOn, Units: t.Units, Price: t.Price, PropertyFee: t.PropertyFee, RentFree: t.RentFree,
		Escalation: t.Escalation, PaymentCycle: t.PaymentCycle, DepositMonths: t.DepositMonths, DayCount: t.DayCount, Note: t.Note}
}

// Contract is the new contract, not yet validated.
func (in NewContract) Contract() Contract {
	k := in.ContractTerms.Contract()
	k.Status, k.RenewalOf = in.Status, in.RenewalOf
	if k.Status == "" {
		k.Status = Draft
	}
	return k
}

// LeadChange is what a change of a lead may set. Its stage moves through MoveLead, and the
// enterprise and contract it was won as are set by converting it.
type LeadChange struct {
	Company      string        `json:"company"`
	CreditCode   string        `json:"credit_code"`
	ContactName  string        `json:"contact_name"`
	ContactPhone string        `json:"contact_phone"`
	Source       string        `json:"source"`
	ChainNodeID  string        `json:"chain_node_id"`
	MinArea      measure.Area  `json:"min_area"`
	MaxArea      measure.Area  `json:"max_area"`
	UnitKinds    []string      `json:"unit_kinds"`
	Facilities   []string      `json:"facilities"`
	Budget       measure.Price `json:"budget"`
	MoveInBy     civil.Date    `json:"move_in_by"`
	Headcount    int           `json:"headcount"`
	OwnerID      string        `json:"owner_id"`
	Probability  int           `json:"probability"`
	NextFollowUp civil.Date    `json:"next_follow_up"`
	Note         string        `json:"note"`
}

// NewLead records a lead in a park.
type NewLead struct {
	ParkID string `json:"park_id"`
	LeadChange
}

// LeadChangeOf is a lead's settable fields.
func LeadChangeOf(l Lead) LeadChange {
	return LeadChange{Company: l.Company, CreditCode: l.CreditCode, ContactName: l.ContactName, ContactPhone: l.ContactPhone,
		Source: l.Source, ChainNodeID: l.ChainNodeID, MinArea: l.MinArea, MaxArea: l.MaxArea, UnitKinds: l.UnitKinds,
		Facilities: l.Facilities, Budget: l.Budget, MoveInBy: l.MoveInBy, Headcount: l.Headcount, OwnerID: l.OwnerID,
		Probability: l.Probability, NextFollowUp: l.NextFollowUp, Note: l.Note}
}

// Apply sets the changed fields on l.
func (c LeadChange) Apply(l Lead) Lead {
	l.Company, l.CreditCode, l.ContactName, l.ContactPhone, l.Source = c.Company, c.CreditCode, c.ContactName, c.ContactPhone, c.Source
	l.ChainNodeID, l.MinArea, l.MaxArea, l.UnitKinds, l.Facilities = c.ChainNodeID, c.MinArea, c.MaxArea, c.UnitKinds, c.Facilities
	l.Budget, l.MoveInBy, l.Headcount, l.OwnerID = c.Budget, c.MoveInBy, c.Headcount, c.OwnerID
	l.Probability, l.NextFollowUp, l.Note = c.Probability, c.NextFollowUp, c.Note
	return l
}

// Lead is the new lead.
func (n NewLead) Lead() Lead { return n.LeadChange.Apply(Lead{ParkID: n.ParkID}) }

// NewHold reserves a unit for a lead; the park follows from the lead.
type NewHold struct {
	LeadID string     `json:"lead_id"`
	UnitID string     `json:"unit_id"`
	From   civil.Date `json:"from"`
	Until  civil.Date `json:"until"`
	Note   string     `json:"note"`
}

// Hold is the new hold.
func (n NewHold) Hold() Hold {
	return Hold{LeadID: n.LeadID, UnitID: n.UnitID, From: n.From, Until: n.Until, Note: n.Note}
}

// NewTarget sets a park's goal; how it stands is the server's to say.
type NewTarget struct {
	ParkID      string     `json:"park_id"`
	Metric      string     `json:"metric"`
	BasisPoints int        `json:"basis_points"`
	ByDate      civil.Date `json:"by_date"`
	Note        string     `json:"note"`
}

// Target is the new target.
func (n NewTarget) Target() Target {
	return Target{ParkID: n.ParkID, Metric: n.Metric, BasisPoints: n.BasisPoints, ByDate: n.ByDate, Note: n.Note}
}
