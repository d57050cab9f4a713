package leasing

import (
	"context"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// mayWorkLeads refuses callers whose role does not work the pipeline (403); the lead itself
// was already read through their scope.
func mayWorkLeads(sc identity.Scope) error {
	if !sc.May(identity.WorkLeads) {
		return apperr.ErrForbidden()
	}
	return nil
}

// CreateLead adds a lead to a park of the caller's; its owner defaults to the person entering
// it and must otherwise be staff of the lead's park.
func (s *Service) CreateLead(ctx context.Context, sc identity.Scope, l Lead) (Lead, error) {
	if err := mayWorkLeads(sc); err != nil {
		return l, err
	}
	if err := l.Start(sc.UserID, s.clock.Now()); err != nil {
		return l, err
	}
	var out Lead
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		if err := s.contracts.CheckLeadRefs(ctx, sc, l); err != nil {
			return err
		}
		var err error
		if out, err = s.contracts.InsertLead(ctx, sc, l); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "create", "lead", out.ID, nil, out)
	})
	return out, err
}

// changeLead locks a lead in the caller's scope for pipeline staff, lets fn change it, saves
// it and records action. Concurrent changes of one lead queue.
func (s *Service) changeLead(ctx context.Context, sc identity.Scope, id, action string, fn func(ctx context.Context, l *Lead) error) (Lead, error) {
	var out Lead
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		old, err := s.contracts.LockLead(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := mayWorkLeads(sc); err != nil {
			return err
		}
		l := old
		if err := fn(ctx, &l); err != nil {
			return err
		}
		if out, err = s.contracts.SaveLead(ctx, sc, l); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, action, "lead", id, old, out)
	})
	return out, err
}

// UpdateLead replaces a lead's details; next must be based on the lead as it is now (its
// updated_at), else 409.
func (s *Service) UpdateLead(ctx context.Context, sc identity.Scope, next Lead) (Lead, error) {
	return s.changeLead(ctx, sc, next.ID, "update", func(ctx context.Context, l *Lead) error {
		if err := apperr.UnchangedSince(l.UpdatedAt, next.UpdatedAt); err != nil {
			return err
		}
		if err := l.Edit(next); err != nil {
			return err
		}
		return s.contracts.CheckLeadRefs(ctx, sc, *l)
	})
}

// MoveLead moves a lead to another stage, on its timeline; a lost lead lets go of its holds.
func (s *Service) MoveLead(ctx context.Context, sc identity.Scope, id string, m Move) (Lead, error) {
	return s.changeLead(ctx, sc, id, "move", func(ctx context.Context, l *Lead) error {
		entry, release, err := l.MoveTo(m, s.clock.Now())
		if err != nil {
			return err
		}
		if release {
			if err := s.contracts.ReleaseLeadHolds(ctx, id); err != nil {
				return err
			}
		}
		return s.contracts.AddLeadActivity(ctx, sc, entry)
	})
}

// AddActivity records contact with a lead.
func (s *Service) AddActivity(ctx context.Context, sc identity.Scope, id string, in ActivityInput) (Lead, error) {
	return s.changeLead(ctx, sc, id, "activity", func(ctx context.Context, l *Lead) error {
		entry, err := l.Log(in, s.clock.Today(), s.clock.Now())
		if err != nil {
			return err
		}
		return s.contracts.AddLeadActivity(ctx, sc, entry)
	})
}

// DeleteLead removes a lead entered by mistake; a converted lead stays as history.
func (s *Service) DeleteLead(ctx context.Context, sc identity.Scope, id string) error {
	return s.contracts.InTx(ctx, func(ctx context.Context) error {
		l, err := s.contracts.LockLead(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := mayWorkLeads(sc); err != nil {
			return err
		}
		if err := l.CheckDeletable(); err != nil {
			return err
		}
		if err := s.contracts.DeleteLeadRow(ctx, id); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "delete", "lead", id, l, nil)
	})
}

// CreateHold reserves a unit for an open lead. A unit held by another lead, or let under a
// signed contract, over any of the same days cannot be held (409 naming who has it).
func (s *Service) CreateHold(ctx context.Context, sc identity.Scope, h Hold) (Hold, error) {
	if err := mayWorkLeads(sc); err != nil {
		return h, err
	}
	if err := h.Validate(s.clock.Today()); err != nil {
		return h, err
	}
	var out Hold
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		lead, err := s.contracts.LockLead(ctx, sc, h.LeadID)
		if apperr.Is(err, apperr.NotFound) {
			var f apperr.Fields
			f.Add("lead_id", "not_found", "招商线索不存在", "no such lead")
			return f.Err()
		}
		if err != nil {
			return err
		}
		if err := h.Start(lead); err != nil {
			return err
		}
		// The hold is checked like a lease of the unit over its days, except against the
		// lead's own holds.
		probe := Contract{ParkID: lead.ParkID, LeadID: h.LeadID, StartOn: h.From, EndOn: h.Until,
			Units: []ContractUnit{{UnitID: h.UnitID, From: h.From, To: h.Until}}}
		if err := s.contracts.PrepareContractUnits(ctx, sc, &probe); err != nil {
			return asUnitField(err)
		}
		if err := s.contracts.CheckLettable(ctx, probe, probe.Units); err != nil {
			return asUnitField(err)
		}
		if out, err = s.contracts.InsertHold(ctx, sc, h); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "create", "hold", out.ID, nil, out)
	})
	return out, err
}

// ReleaseHold gives a held unit back before its date; of two releases at once one lands.
func (s *Service) ReleaseHold(ctx context.Context, sc identity.Scope, id string) (Hold, error) {
	var out Hold
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		old, err := s.contracts.LockHold(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := mayWorkLeads(sc); err != nil {
			return err
		}
		h := old
		if err := h.Release(); err != nil {
			return err
		}
		if err := s.contracts.SaveHoldStatus(ctx, h, old.Status); err != nil {
			return err
		}
		out = h
		return s.contracts.Record(ctx, sc, "release", "hold", id, old, out)
	})
	return out, err
}

// asUnitField points the "units[0]…" errors of a hold's lease check at its unit_id.
func asUnitField(err error) error {
	if e, ok := apperr.As(err); ok {
		for i := range e.Fields {
			e.Fields[i].Field = "unit_id"
		}
	}
	return err
}

// CreateTarget sets a goal for a park of the caller's; who may edit the park's space may set it.
func (s *Service) CreateTarget(ctx context.Context, sc identity.Scope, t Target) (Target, error) {
	if !sc.CanEditSpace() {
		return t, apperr.ErrForbidden()
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	var out Target
	err := s.contracts.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.contracts.InsertTarget(ctx, sc, t); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "create", "target", out.ID, nil, out)
	})
	return out, err
}

// DeleteTarget removes a target.
func (s *Service) DeleteTarget(ctx context.Context, sc identity.Scope, id string) error {
	return s.contracts.InTx(ctx, func(ctx context.Context) error {
		t, err := s.contracts.TargetIn(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.CanEditSpace() {
			return apperr.ErrForbidden()
		}
		if err := s.contracts.DeleteTargetRow(ctx, id); err != nil {
			return err
		}
		return s.contracts.Record(ctx, sc, "delete", "target", id, t, nil)
	})
}
