package leasing

import (
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
)

// Effects are what a contract's transition changes beyond its own row; the service carries
// them out in the same transaction.
type Effects struct {
	// LetUnits are units the contract now lets: no other signed contract or hold may have
	// them on the same days.
	LetUnits []ContractUnit
	// ConvertHolds: the lead's holds on the let units give way to the lease.
	ConvertHolds bool
	// Renews is the contract this one succeeds; it becomes "renewed".
	Renews string
}

func errNotDraft() error {
	return apperr.New(apperr.Conflict, "只有草稿合同可以修改条款；已生效的合同请用变更或解约",
		"only drafts can be edited; amend or terminate an active contract")
}

// CheckDraft refuses a change that only a draft allows (editing terms, deleting).
func (c Contract) CheckDraft() error {
	if c.Status != Draft {
		return errNotDraft()
	}
	return nil
}

// Edit replaces a draft's terms with next, keeping what only the server sets.
func (c *Contract) Edit(next Contract) error {
	if err := c.CheckDraft(); err != nil {
		return err
	}
	next.ID, next.ParkID, next.Status, next.CreatedAt = c.ID, "", Draft, c.CreatedAt
	next.RenewalOf, next.RenewedBy, next.TerminatedOn = c.RenewalOf, c.RenewedBy, civil.Date{}
	if err := next.Validate(); err != nil {
		return err
	}
	*c = next
	return nil
}

// Sign makes a new contract recorded as signed (active) take effect on creation.
func (c *Contract) Sign(today civil.Date) Effects {
	if c.SignedOn.IsZero() {
		c.SignedOn = today
	}
	return Effects{LetUnits: c.Units, ConvertHolds: c.LeadID != "" && c.Status == Active}
}

// Activate signs a draft on today (unless a signing day was recorded): its units become let,
// its lead's holds give way, and a renewal marks its predecessor renewed.
func (c *Contract) Activate(today civil.Date) (Effects, error) {
	if err := c.CheckDraft(); err != nil {
		return Effects{}, err
	}
	c.Status = Active
	fx := c.Sign(today)
	fx.Renews = c.RenewalOf
	return fx, nil
}

// Terminate ends an active contract early.
func (c *Contract) Terminate(t Termination) error {
	if c.Status != Active {
		return apperr.New(apperr.Conflict, "只有生效中的合同可以提前解约", "only an active contract can be terminated")
	}
	if err := c.ValidateTermination(t); err != nil {
		return err
	}
	c.Status, c.TerminatedOn, c.Penalty = Terminated, t.TerminatedOn, t.Penalty
	return nil
}

// Amend removes units from the day before a.EffectiveOn and adds units from it to the end.
// It returns the index of the first added unit in c.Units; the added units' areas are filled
// and checked by the caller, and they are let at once when the contract is active.
func (c *Contract) Amend(a Amendment) (int, error) {
	if c.Status != Active && c.Status != Draft {
		return 0, apperr.New(apperr.Conflict, "只能变更草稿或生效中的合同", "only a draft or active contract can be amended")
	}
	var f apperr.Fields
	if a.EffectiveOn.IsZero() || a.EffectiveOn.Before(c.StartOn) || a.EffectiveOn.After(c.EndOn) {
		f.Add("effective_on", "outside_term", "变更生效日须在合同期内", "effective_on must be within the term")
		return 0, f.Err()
	}
	if len(a.Add) == 0 && len(a.Remove) == 0 {
		f.Add("add", "required", "请指定要增加或减少的单元", "add or remove at least one unit")
		return 0, f.Err()
	}
	units := append([]ContractUnit(nil), c.Units...)
	for i, id := range a.Remove {
		found := false
		for j := range units {
			u := &units[j]
			if u.UnitID == id && !u.To.Before(a.EffectiveOn) && !u.From.After(a.EffectiveOn) {
				u.To, found = a.EffectiveOn.AddDays(-1), true
			}
		}
		if !found {
			f.Add(fmt.Sprintf("remove[%d]", i), "not_in_contract", "该单元在生效日不在本合同内", "the unit is not in the contract on effective_on")
			return 0, f.Err()
		}
	}
	kept := units[:0]
	for _, u := range units {
		if !u.To.Before(u.From) {
			kept = append(kept, u)
		}
	}
	start := len(kept)
	for i, id := range a.Add {
		for _, u := range kept {
			if u.UnitID == id && !u.To.Before(a.EffectiveOn) {
				f.Add(fmt.Sprintf("add[%d]", i), "already_in_contract", "该单元已在本合同内", "the unit is already in this contract")
				return 0, f.Err()
			}
		}
		kept = append(kept, ContractUnit{UnitID: id, From: a.EffectiveOn, To: c.EndOn})
	}
	c.Units = kept
	return start, nil
}

// Renewal drafts the successor of a contract: same enterprise and units, from the day after
// this one ends, at the new price if one is given.
func (c Contract) Renewal(r Renewal) (Contract, error) {
	if c.Status != Active && c.Status != Expired {
		return Contract{}, apperr.New(apperr.Conflict, "只有生效中或已到期的合同可以续签", "only an active or expired contract can be renewed")
	}
	if c.RenewedBy != "" {
		return Contract{}, apperr.New(apperr.Conflict, "该合同已有续签合同", "this contract already has a renewal")
	}
	next := c
	next.ID, next.Number, next.Status, next.SignedOn = "", r.Number, Draft, civil.Date{}
	next.StartOn, next.EndOn, next.RenewalOf, next.RentFree = c.EndOn.AddDays(1), r.EndOn, c.ID, nil
	next.Escalation, next.TerminatedOn, next.Penalty, next.RenewedBy = Escalation{Kind: "none"}, civil.Date{}, 0, ""
	if r.Price != nil {
		next.Price = *r.Price
	}
	next.Units = nil
	for _, u := range c.Units {
		if !u.To.Before(c.EndOn) {
			next.Units = append(next.Units, ContractUnit{UnitID: u.UnitID})
		}
	}
	return next, next.Validate()
}

// MarkRenewed records that next succeeds this signed contract.
func (c *Contract) MarkRenewed(nextID string) error {
	if c.Status != Active && c.Status != Expired || c.RenewedBy != "" {
		return apperr.New(apperr.Conflict, "被续签的合同已续签或已解约", "the contract being renewed is already renewed or terminated")
	}
	c.Status, c.RenewedBy = Renewed, nextID
	return nil
}
