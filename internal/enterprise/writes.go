package enterprise

import (
	"context"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// mayEditRecordsOf: park staff edit the enterprises of their parks; an enterprise's
// administrator edits its own profile and qualifications.
func mayEditRecordsOf(sc identity.Scope, enterpriseID string) bool {
	return sc.CanEditEnterprises() || sc.CanEditOwnEnterprise(enterpriseID)
}

// CreateEnterprise adds an enterprise record kept by a park.
func (s *Service) CreateEnterprise(ctx context.Context, sc identity.Scope, e Enterprise) (Enterprise, error) {
	if !sc.CanEditEnterprises() {
		return e, apperr.ErrForbidden()
	}
	if err := e.Validate(s.clock.Today()); err != nil {
		return e, err
	}
	var out Enterprise
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.w.InsertEnterprise(ctx, sc, e); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "create", "enterprise", out.ID, nil, out)
	})
	return out, err
}

// UpdateEnterprise saves an enterprise. Its administrator may edit its own profile but not
// move it to another park.
func (s *Service) UpdateEnterprise(ctx context.Context, sc identity.Scope, e Enterprise) (Enterprise, error) {
	var out Enterprise
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		old, err := s.w.LockEnterprise(ctx, sc, e.ID)
		if err != nil {
			return err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, e.UpdatedAt); err != nil {
			return err
		}
		if !mayEditRecordsOf(sc, e.ID) {
			return apperr.ErrForbidden()
		}
		if sc.Role.IsEnterprise() {
			e.ParkID = old.ParkID
		}
		e.CreatedAt = old.CreatedAt
		if err := e.Validate(s.clock.Today()); err != nil {
			return err
		}
		if out, err = s.w.SaveEnterprise(ctx, sc, e, e.ParkID != old.ParkID || !sc.Role.IsEnterprise()); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "update", "enterprise", e.ID, old, out)
	})
	return out, err
}

// DeleteEnterprise removes an enterprise entered by mistake: one with residencies or accounts
// stays (set its stage to moved_out).
func (s *Service) DeleteEnterprise(ctx context.Context, sc identity.Scope, id string) error {
	return s.w.InTx(ctx, func(ctx context.Context) error {
		old, err := s.w.LockEnterprise(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.CanEditEnterprises() {
			return apperr.ErrForbidden()
		}
		if err := s.w.DeleteEnterpriseRow(ctx, id); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "delete", "enterprise", id, old, nil)
	})
}

// CreateResidency records a move-in into a park of the caller's.
func (s *Service) CreateResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	var out Residency
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.enterpriseField(ctx, sc, r.EnterpriseID); err != nil {
			return err
		}
		if !sc.CanEditEnterprises() {
			return apperr.ErrForbidden()
		}
		var err error
		if out, err = s.w.InsertResidency(ctx, sc, r); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "create", "residency", out.ID, nil, out)
	})
	return out, err
}

// UpdateResidency changes a residency's dates, units or note (e.g. records the move-out); it
// stays with its enterprise.
func (s *Service) UpdateResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error) {
	var out Residency
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		old, err := s.w.LockResidency(ctx, sc, r.ID)
		if err != nil {
			return err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, r.UpdatedAt); err != nil {
			return err
		}
		if !sc.CanEditEnterprises() {
			return apperr.ErrForbidden()
		}
		r.EnterpriseID, r.CreatedAt = old.EnterpriseID, old.CreatedAt
		if err := r.Validate(); err != nil {
			return err
		}
		if out, err = s.w.SaveResidency(ctx, sc, r); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "update", "residency", r.ID, old, out)
	})
	return out, err
}

// DeleteResidency removes a residency entered by mistake.
func (s *Service) DeleteResidency(ctx context.Context, sc identity.Scope, id string) error {
	return s.w.InTx(ctx, func(ctx context.Context) error {
		r, err := s.w.LockResidency(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.CanEditEnterprises() || !sc.HasPark(r.ParkID) {
			return apperr.ErrForbidden()
		}
		if err := s.w.DeleteResidencyRow(ctx, id); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "delete", "residency", id, r, nil)
	})
}

// CreateQualification records a certificate an enterprise holds.
func (s *Service) CreateQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error) {
	if err := q.Validate(); err != nil {
		return q, err
	}
	var out Qualification
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.enterpriseField(ctx, sc, q.EnterpriseID); err != nil {
			return err
		}
		if !mayEditRecordsOf(sc, q.EnterpriseID) {
			return apperr.ErrForbidden()
		}
		var err error
		if out, err = s.w.InsertQualification(ctx, sc, q); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "create", "qualification", out.ID, nil, out)
	})
	return out, err
}

// UpdateQualification saves a qualification; it stays with its enterprise.
func (s *Service) UpdateQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error) {
	var out Qualification
	err := s.w.InTx(ctx, func(ctx context.Context) error {
		old, err := s.w.LockQualification(ctx, sc, q.ID)
		if err != nil {
			return err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, q.UpdatedAt); err != nil {
			return err
		}
		if !mayEditRecordsOf(sc, old.EnterpriseID) {
			return apperr.ErrForbidden()
		}
		q.EnterpriseID, q.CreatedAt = old.EnterpriseID, old.CreatedAt
		if err := q.Validate(); err != nil {
			return err
		}
		if out, err = s.w.SaveQualification(ctx, sc, q); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "update", "qualification", q.ID, old, out)
	})
	return out, err
}

// DeleteQualification removes a qualification.
func (s *Service) DeleteQualification(ctx context.Context, sc identity.Scope, id string) error {
	return s.w.InTx(ctx, func(ctx context.Context) error {
		q, err := s.w.LockQualification(ctx, sc, id)
		if err != nil {
			return err
		}
		if !mayEditRecordsOf(sc, q.EnterpriseID) {
			return apperr.ErrForbidden()
		}
		if err := s.w.DeleteQualificationRow(ctx, id); err != nil {
			return err
		}
		return s.w.Record(ctx, sc, "delete", "qualification", id, q, nil)
	})
}

// enterpriseField reads the enterprise a record names; one out of scope is a field error.
func (s *Service) enterpriseField(ctx context.Context, sc identity.Scope, id string) (Enterprise, error) {
	e, err := s.w.EnterpriseIn(ctx, sc, id)
	if apperr.Is(err, apperr.NotFound) {
		var f apperr.Fields
		f.Add("enterprise_id", "not_found", "企业不存在", "no such enterprise")
		return e, f.Err()
	}
	return e, err
}
