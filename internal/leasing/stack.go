package leasing

import (
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"maps"
	"slices"
)

// Unit statuses on a day (§2), derived, never stored.
const (
	StatusVacant      = "vacant"
	StatusHeld        = "held" // held for a lead, or let under a signed lease that has not started
	StatusLeased      = "leased"
	StatusExpiring    = "expiring" // leased, the lease ends within ExpiringDays
	StatusNotLeasable = "not_leasable"
)

// UnitStatuses in legend order.
var UnitStatuses = []string{StatusVacant, StatusHeld, StatusLeased, StatusExpiring, StatusNotLeasable}

// ExpiringDays is how close to its end a lease shows as expiring.
const ExpiringDays = 90

// StackUnit is a unit box of the stack plan.
type StackUnit struct {
	ID         string       `json:"id"`
	Code       string       `json:"code"`
	Kind       string       `json:"kind"`
	Gross      measure.Area `json:"gross_area"`
	Facilities []string     `json:"facilities"` // bsl2, animal_room, cleanroom, fume_exhaust, pure_water …
	Status     string       `json:"status"`
	Tenant     string       `json:"tenant"` // enterprise name, or the lead's company for a hold
	ContractID string       `json:"contract_id"`
	Until      civil.Date   `json:"until"` // lease end, hold end, or signed lease start
}

// StackFloor is a row of the stack plan.
type StackFloor struct {
	ID    string       `json:"id"`
	Level int          `json:"level"`
	Label string       `json:"label"`
	Gross measure.Area `json:"gross_area"` // of the units shown
	Units []StackUnit  `json:"units"`
}

// StackBuilding is one building of the stack plan, floors from the top down.
type StackBuilding struct {
	ID     string       `json:"id"`
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	Floors []StackFloor `json:"floors"`
}

// StackPlan is the 租控图 of a park on a day.
type StackPlan struct {
	ParkID    string                  `json:"park_id"`
	On        civil.Date              `json:"on"`
	Buildings []StackBuilding         `json:"buildings"`
	Areas     map[string]measure.Area `json:"areas"` // by status
	Counts    map[string]int          `json:"counts"`
}

// Clone is a copy that shares nothing with p, for a caller that may change it.
func (p StackPlan) Clone() StackPlan {
	out := p
	out.Areas, out.Counts = maps.Clone(p.Areas), maps.Clone(p.Counts)
	out.Buildings = slices.Clone(p.Buildings)
	for i := range out.Buildings {
		b := &out.Buildings[i]
		b.Floors = slices.Clone(b.Floors)
		for j := range b.Floors {
			f := &b.Floors[j]
			f.Units = slices.Clone(f.Units)
			for k := range f.Units {
				f.Units[k].Facilities = slices.Clone(f.Units[k].Facilities)
			}
		}
	}
	return out
}

// StackLease is a signed lease of a unit, as the stack plan needs it.
type StackLease struct {
	UnitID, ContractID, Tenant string
	From, LastDay              civil.Date
}

// StackHold is an active hold, as the stack plan needs it.
type StackHold struct {
	UnitID, Company string
	From, Until     civil.Date
}

// StatusOn derives a unit's status on day d from its leases and holds.
func StatusOn(leasable bool, leases []StackLease, holds []StackHold, d civil.Date) (status, tenant, contractID string, until civil.Date) {
	if !leasable {
		return StatusNotLeasable, "", "", civil.Date{}
	}
	var future *StackLease
	for i, l := range leases {
		if !d.Before(l.From) && !d.After(l.LastDay) {
			if d.DaysUntil(l.LastDay) <= ExpiringDays {
				return StatusExpiring, l.Tenant, l.ContractID, l.LastDay
			}
			return StatusLeased, l.Tenant, l.ContractID, l.LastDay
		}
		if l.From.After(d) && (future == nil || l.From.Before(future.From)) {
			future = &leases[i]
		}
	}
	for _, h := range holds {
		if !d.Before(h.From) && !d.After(h.Until) {
			return StatusHeld, h.Company, "", h.Until
		}
	}
	if future != nil {
		return StatusHeld, future.Tenant, future.ContractID, future.From
	}
	return StatusVacant, "", "", civil.Date{}
}
