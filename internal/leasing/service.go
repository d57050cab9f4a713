package leasing

import (
	"context"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// Service is the leasing context (§4): it owns the contract lifecycle — which transition is
// allowed, what each one lets, converts and renews — and serves the figures built from leases
// to the API and the console alike. Reads and the writes whose rules still sit with their
// queries (leads, holds, targets) pass through to the store.
type Service struct {
	Store
	contracts ContractStore
	snapshots SnapshotStore
	clock     civil.Clock
}

// NewService builds the leasing service on its store and the one clock.
func NewService(st interface {
	Store
	ContractStore
	SnapshotStore
}, clock civil.Clock) *Service {
	return &Service{Store: st, contracts: st, snapshots: st, clock: clock}
}

// Today is the service's day.
func (s *Service) Today() civil.Date { return s.clock.Today() }

// mayLease refuses callers whose role does not let them lease (403); the contract itself was
// already read through their scope, so one they cannot see is 404 before this.
func mayLease(sc identity.Scope) error {
	if !sc.May(identity.Lease) {
		return apperr.ErrForbidden()
	}
	return nil
}

// CreateContract records a contract: a draft, or an active one signed on creation, in which case
// no unit may already be let or held by another lead over the same days.
func (s *Service) CreateContract(ctx context.Context, sc identity.Scope, in NewContract) (Contract, error) {
	if err := mayLease(sc); err != nil {
		return Contract{}, err
	}
	k := in.Contract()
	if k.Status != Draft && k.Status != Active {
		var f apperr.Fields
		f.Add("status", "unknown_value", "新合同只能是草稿或生效状态", "a new contract is draft or active")
		return k, f.Err()
	}
	if err := k.Validate(); err != nil {
		return k, err
	}
	var out Contract
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.create(ctx, sc, k)
		return err
	})
	return out, err
}

// RecordContract records a contract in the state a file gives it — a park going live brings
// its signed, expired, renewed and terminated leases along — under the same checks: its units
// and references resolved in scope, none let twice.
func (s *Service) RecordContract(ctx context.Context, sc identity.Scope, k Contract) (Contract, error) {
	if err := mayLease(sc); err != nil {
		return k, err
	}
	if err := k.Validate(); err != nil {
		return k, err
	}
	if k.Status == Terminated {
		if err := k.ValidateTermination(Termination{TerminatedOn: k.TerminatedOn, Penalty: k.Penalty}); err != nil {
			return k, err
		}
	} else if !k.TerminatedOn.IsZero() {
		var f apperr.Fields
		f.Add("terminated_on", "not_terminated", "只有已解约的合同有解约日期", "only a terminated contract has a termination date")
		return k, f.Err()
	}
	var out Contract
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.create(ctx, sc, k); err != nil || k.RenewalOf == "" {
			return err
		}
		return s.contracts.LinkRenewal(ctx, k.RenewalOf, out.ID)
	})
	return out, err
}

// create inserts a validated contract in the transaction of ctx.
func (s *Service) create(ctx context.Context, sc identity.Scope, k Contract) (Contract, error) {
	k.ID, k.ParkID, k.RenewedBy = "", "", ""
	if err := s.contracts.PrepareContractUnits(ctx, sc, &k); err != nil {
		return k, err
	}
	if err := s.contracts.ResolveContractRefs(ctx, sc, k); err != nil {
		return k, err
	}
	if k.Status != Draft {
		if err := s.apply(ctx, sc, k, k.Sign(s.clock.Today())); err != nil {
			return k, err
		}
	}
	out, err := s.contracts.InsertContract(ctx, sc, k)
	if err != nil {
		return out, err
	}
	return out, s.contracts.Record(ctx, sc, "create", "contract", out.ID, nil, out)
}

// apply carries out a transition's effects on other rows.
func (s *Service) apply(ctx context.Context, sc identity.Scope, k Contract, fx Effects) error {
	if len(fx.LetUnits) > 0 {
		if err := s.contracts.CheckLettable(ctx, k, fx.LetUnits); err != nil {
			return err
		}
	}
	if fx.ConvertHolds {
		if err := s.contracts.ConvertHolds(ctx, k); err != nil {
			return err
		}
	}
	if fx.Renews != "" {
		return s.markRenewed(ctx, sc, fx.Renews, k.ID)
	}
	return nil
}

// markRenewed flips a signed renewal's predecessor to renewed, once, with its own audit entry.
func (s *Service) markRenewed(ctx context.Context, sc identity.Scope, prevID, nextID string) error {
	prev, err := s.contracts.LockContract(ctx, sc, prevID)
	if apperr.Is(err, apperr.NotFound) {
		var f apperr.Fields
		f.Add("renewal_of", "not_found", "被续签的合同不存在", "no such contract to renew")
		return f.Err()
	}
	if err != nil {
		return err
	}
	next := prev
	if err := next.MarkRenewed(nextID); err != nil {
		return err
	}
	after, err := s.contracts.SaveContract(ctx, sc, next, prev.Status)
	if err != nil {
		return err
	}
	return s.contracts.Record(ctx, sc, "renewed", "contract", prevID, prev, after)
}

// lockForLeasing locks a contract the caller sees and may lease: one out of scope is 404, one
// in scope without the role 403.
func (s *Service) lockForLeasing(ctx context.Context, sc identity.Scope, id string) (Contract, error) {
	k, err := s.contracts.LockContract(ctx, sc, id)
	if err != nil {
		return k, err
	}
	return k, mayLease(sc)
}

// change locks a contract in the caller's scope, lets fn transition it, saves it conditional
// on the status it was read with, and records action. Concurrent changes of one contract
// queue; of two that decided on the same transition only the first lands.
func (s *Service) change(ctx context.Context, sc identity.Scope, id, action string,
	fn func(ctx context.Context, k *Contract) error) (Contract, error) {
	var out Contract
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		old, err := s.lockForLeasing(ctx, sc, id)
		if err != nil {
			return err
		}
		k := old
		k.Units = append([]ContractUnit(nil), old.Units...)
		if err := fn(ctx, &k); err != nil {
			return err
		}
		if out, err = s.contracts.SaveContract(ctx, sc, k, old.Status); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, action, "contract", id, old, out)
	})
	return out, err
}

// UpdateContract replaces a draft's terms.
func (s *Service) UpdateContract(ctx context.Context, sc identity.Scope, id string, ch ContractChange) (Contract, error) {
	return s.PatchContract(ctx, sc, id, func(ContractChange) (ContractChange, error) { return ch, nil })
}

// PatchContract changes a draft's terms by change, applied to the terms as they are once the
// contract is locked, so that two changes at once each keep the other's.
func (s *Service) PatchContract(ctx context.Context, sc identity.Scope, id string, change func(ContractChange) (ContractChange, error)) (Contract, error) {
	return s.change(ctx, sc, id, "update", func(ctx context.Context, k *Contract) error {
		ch, err := change(TermsOf(*k))
		if err != nil {
			return err
		}
		next := ch.Contract()
		next.RenewalOf = k.RenewalOf
		if err := k.Edit(next); err != nil {
			return err
		}
		if err := s.contracts.PrepareContractUnits(ctx, sc, k); err != nil {
			return err
		}
		return s.contracts.ResolveContractRefs(ctx, sc, *k)
	})
}

// ActivateContract signs a draft.
func (s *Service) ActivateContract(ctx context.Context, sc identity.Scope, id string) (Contract, error) {
	return s.change(ctx, sc, id, "activate", func(ctx context.Context, k *Contract) error {
		// The units are locked and checked again: since the draft was written one may have been
		// split, merged or marked not leasable.
		if err := s.contracts.PrepareContractUnits(ctx, sc, k); err != nil {
			return err
		}
		fx, err := k.Activate(s.clock.Today())
		if err != nil {
			return err
		}
		return s.apply(ctx, sc, *k, fx)
	})
}

// TerminateContract ends an active contract early.
func (s *Service) TerminateContract(ctx context.Context, sc identity.Scope, id string, t Termination) (Contract, error) {
	return s.change(ctx, sc, id, "terminate", func(_ context.Context, k *Contract) error { return k.Terminate(t) })
}

// AmendContract adds or removes units from a day on; added units are checked like a new lease.
func (s *Service) AmendContract(ctx context.Context, sc identity.Scope, id string, a Amendment) (Contract, error) {
	return s.change(ctx, sc, id, "amend", func(ctx context.Context, k *Contract) error {
		start, err := k.Amend(a)
		if err != nil {
			return err
		}
		added := Contract{ID: k.ID, LeadID: k.LeadID, StartOn: k.StartOn, EndOn: k.EndOn, TerminatedOn: k.TerminatedOn, Units: k.Units[start:]}
		if err := s.contracts.PrepareContractUnits(ctx, sc, &added); err != nil {
			return unitFieldsAs(err, "add")
		}
		if added.ParkID != "" && added.ParkID != k.ParkID {
			var f apperr.Fields
			f.Add("add", "other_park", "合同的所有单元须属于同一园区", "all units of a contract must be in one park")
			return f.Err()
		}
		if k.Status == Active {
			return unitFieldsAs(s.contracts.CheckLettable(ctx, *k, added.Units), "add")
		}
		return nil
	})
}

// RenewContract drafts the successor of an active or expired contract.
func (s *Service) RenewContract(ctx context.Context, sc identity.Scope, id string, r Renewal) (Contract, error) {
	var out Contract
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		old, err := s.lockForLeasing(ctx, sc, id)
		if err != nil {
			return err
		}
		next, err := old.Renewal(r)
		if err != nil {
			return err
		}
		out, err = s.create(ctx, sc, next)
		return err
	})
	return out, err
}

// DeleteContract removes a draft.
func (s *Service) DeleteContract(ctx context.Context, sc identity.Scope, id string) error {
	return s.contracts.InTx(ctx, func(ctx context.Context) error {
		k, err := s.lockForLeasing(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := k.CheckDraft(); err != nil {
			return err
		}
		if err := s.contracts.DeleteDraftContract(ctx, id); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "delete", "contract", id, k, nil)
	})
}

// ConvertLead turns a lead into an enterprise (found by credit code, or created from the lead)
// and a draft contract for the units given or else the units it holds, and marks it won — all
// in one transaction.
func (s *Service) ConvertLead(ctx context.Context, sc identity.Scope, id string, in Conversion) (ConversionResult, error) {
	var res ConversionResult
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		old, err := s.contracts.LockLead(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := mayWorkLeads(sc); err != nil {
			return err
		}
		if err := old.CheckConvertible(); err != nil {
			return err
		}
		entID := old.EnterpriseID
		if code := old.CreditCodeFor(in); entID == "" && code != "" {
			if entID, err = s.contracts.EnterpriseIDByCreditCode(ctx, code); err != nil {
				return err
			}
		}
		if entID == "" {
			e := old.NewEnterprise(in)
			if err := e.Validate(s.clock.Today()); err != nil {
				return err
			}
			created, err := s.contracts.InsertEnterprise(ctx, sc, e)
			if err != nil {
				return err
			}
			if err := s.contracts.Record(ctx, sc, "create", "enterprise", created.ID, nil, created); err != nil {
				return err
			}
			entID = created.ID
		}
		units := in.UnitIDs
		if len(units) == 0 {
			if units, err = s.contracts.HeldUnitIDs(ctx, id, s.clock.Today()); err != nil {
				return err
			}
		}
		k := old.Draft(in, entID, units)
		if err := k.Validate(); err != nil {
			return unitFieldsAs(err, "unit_ids") // the request names its units unit_ids
		}
		contract, err := s.create(ctx, sc, k)
		if err != nil && len(in.UnitIDs) > 0 {
			return unitFieldsAs(err, "unit_ids")
		}
		if err != nil {
			return err
		}
		l := old
		entry := l.Win(contract, s.clock.Now())
		if res.Lead, err = s.contracts.SaveLead(ctx, sc, l); err != nil {
			return err
		}
		if err := s.contracts.AddLeadActivity(ctx, sc, entry); err != nil {
			return err
		}
		res.EnterpriseID, res.ContractID = entID, contract.ID
		return s.contracts.Record(ctx, sc, "convert", "lead", id, nil, res.Lead)
	})
	return res, err
}

// unitFieldsAs points "units" and "units[i]" errors at "field" and "field[i]": an amendment's added units ("add"),
// the units a lead conversion names ("unit_ids").
func unitFieldsAs(err error, field string) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	for i := range e.Fields {
		var n int
		if e.Fields[i].Field == "units" {
			e.Fields[i].Field = field
		} else if _, scanErr := fmt.Sscanf(e.Fields[i].Field, "units[%d]", &n); scanErr == nil {
			e.Fields[i].Field = fmt.Sprintf("%s[%d]", field, n)
		}
	}
	return e
}

// orToday is d, or today when d is not given.
func (s *Service) orToday(d civil.Date) civil.Date {
	if d.IsZero() {
		return s.clock.Today()
	}
	return d
}

// StackPlan is the park's stack plan on a day (today when on is not given).
func (s *Service) StackPlan(ctx context.Context, sc identity.Scope, parkID string, on civil.Date, f StackFilter) (StackPlan, error) {
	return s.Store.StackPlan(ctx, sc, parkID, s.orToday(on), f)
}

// RentRoll is every unit's status, tenant and monthly charges on a day (today when not given).
func (s *Service) RentRoll(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) ([]RentRollLine, error) {
	return s.Store.RentRoll(ctx, sc, parkID, s.orToday(on))
}

// Reminders are the caller's reminders today.
func (s *Service) Reminders(ctx context.Context, sc identity.Scope) (Reminders, error) {
	return s.Store.LeasingReminders(ctx, sc, s.clock.Today())
}

// Occupancy is the occupancy figures of the filtered units on a day (today when not given).
func (s *Service) Occupancy(ctx context.Context, sc identity.Scope, f OccupancyFilter, on civil.Date) (Figures, error) {
	units, leases, err := s.Store.OccupancyRows(ctx, sc, f)
	if err != nil {
		return Figures{}, err
	}
	return Occupancy(units, leases, s.orToday(on)), nil
}

// OccupancySeries is the monthly series from the month of from to the month of to (by default
// the twelve months up to today); at most 240 months. Every park together is summed from the
// parks' kept month-end figures, its tenants counted per park.
func (s *Service) OccupancySeries(ctx context.Context, sc identity.Scope, f OccupancyFilter, from, to civil.Date) ([]Point, error) {
	to = s.orToday(to)
	if from.IsZero() {
		from = to.AddMonths(-11)
	}
	if to.Before(from) || from.AddMonths(240).Before(to) {
		return nil, apperr.New(apperr.Invalid, "时间范围须为 1 到 240 个月", "the range must be 1 to 240 months").WithField("to", "out_of_range")
	}
	if from.Year() < 1990 || to.Year() > 2100 {
		return nil, apperr.New(apperr.Invalid, "时间范围须在 1990–2100 年之间", "the range must lie within 1990–2100").WithField("from", "out_of_range")
	}
	if f == (OccupancyFilter{}) && sc.AllParks() {
		return s.allParksSeries(ctx, sc, from, to)
	}
	units, leases, err := s.Store.OccupancyRows(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	return Series(units, leases, from, to), nil
}

// ExpiryProfile is the leased area ending in each of the next twelve months.
func (s *Service) ExpiryProfile(ctx context.Context, sc identity.Scope, f OccupancyFilter) ([]MonthArea, error) {
	units, leases, err := s.Store.OccupancyRows(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	return ExpiryProfile(units, leases, s.clock.Today()), nil
}

// Forecast is the park's pipeline forecast at each of the next months (1–60).
func (s *Service) Forecast(ctx context.Context, sc identity.Scope, parkID string, months int) ([]ForecastPoint, error) {
	if months < 1 || months > 60 {
		var f apperr.Fields
		f.Add("months", "out_of_range", "月数须在 1 到 60 之间", "months must be between 1 and 60")
		return nil, f.Err()
	}
	units, leases, err := s.Store.OccupancyRows(ctx, sc, OccupancyFilter{ParkID: parkID})
	if err != nil {
		return nil, err
	}
	leads, err := s.Store.OpenLeads(ctx, sc, parkID)
	if err != nil {
		return nil, err
	}
	return ForecastSeries(units, leases, leads, s.clock.Today(), months), nil
}

// Overview is a park's 去化 dashboard: today's figures, the months before today, the pipeline
// forecast after it and the expiry profile, all from one read of the units and leases.
type Overview struct {
	Today    Figures         `json:"today"`
	History  []Point         `json:"history"`
	Forecast []ForecastPoint `json:"forecast"`
	Expiries []MonthArea     `json:"expiries"`
}

// Overview computes the dashboard of the filtered units with months of history and of
// forecast; open leads count towards the forecast only for a whole park.
func (s *Service) Overview(ctx context.Context, sc identity.Scope, f OccupancyFilter, history, forecast int) (Overview, error) {
	units, leases, err := s.Store.OccupancyRows(ctx, sc, f)
	if err != nil {
		return Overview{}, err
	}
	var leads []Lead
	if f.BuildingID == "" && f.Kind == "" {
		if leads, err = s.Store.OpenLeads(ctx, sc, f.ParkID); err != nil {
			return Overview{}, err
		}
	}
	today := s.clock.Today()
	return Overview{Today: Occupancy(units, leases, today), History: Series(units, leases, today.AddMonths(1-history), today),
		Forecast: ForecastSeries(units, leases, leads, today, forecast+1)[1:], Expiries: ExpiryProfile(units, leases, today)}, nil
}

// UnitOn is one unit as the stack plan shows it on a day (today when not given): its status,
// tenant, contract and the day its lease, hold or vacancy next changes. ok is false when the
// unit does not exist on that day.
func (s *Service) UnitOn(ctx context.Context, sc identity.Scope, parkID, buildingID, unitID string, on civil.Date) (StackUnit, bool, error) {
	plan, err := s.StackPlan(ctx, sc, parkID, on, StackFilter{BuildingID: buildingID})
	if err != nil {
		return StackUnit{}, false, err
	}
	for _, b := range plan.Buildings {
		for _, f := range b.Floors {
			for _, u := range f.Units {
				if u.ID == unitID {
					return u, true, nil
				}
			}
		}
	}
	return StackUnit{}, false, nil
}
