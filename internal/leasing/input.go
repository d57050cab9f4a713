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
