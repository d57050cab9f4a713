package pool

import (
	"context"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the pool needs of the data layer, each call in the caller's scope.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	ListPool(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Entry], error)
	GetPoolEntry(ctx context.Context, sc identity.Scope, parkID string) (Entry, error)
	// LockPoolEntry locks a pooled park's entry and reads it with its history.
	LockPoolEntry(ctx context.Context, sc identity.Scope, parkID string) (Entry, error)
	InsertPoolEntry(ctx context.Context, sc identity.Scope, n NewEntry) error
	InsertTierChange(ctx context.Context, parkID string, d TierDecision) error
	InsertRecognition(ctx context.Context, parkID string, year int) error
	// ParkIDByCode finds a park the caller may see by its code (for an import).
	ParkIDByCode(ctx context.Context, sc identity.Scope, code string) (string, bool, error)
}

// Service keeps the pool. Only the authority and administrators change it; park staff read the
// entries of their own parks.
type Service struct {
	st    Store
	clock civil.Clock
}

// NewService builds the pool service on st.
func NewService(st Store, clock civil.Clock) *Service { return &Service{st: st, clock: clock} }

// List is the pool in the caller's scope.
func (s *Service) List(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Entry], error) {
	if err := f.Validate(); err != nil {
		return page.Page[Entry]{}, err
	}
	return s.st.ListPool(ctx, sc, f, req)
}

// Get is one pooled park with its tier history.
func (s *Service) Get(ctx context.Context, sc identity.Scope, parkID string) (Entry, error) {
	return s.st.GetPoolEntry(ctx, sc, parkID)
}

// Enter puts a park into the pool at a tier.
func (s *Service) Enter(ctx context.Context, sc identity.Scope, n NewEntry) (Entry, error) {
	if !sc.May(identity.SteerParks) {
		return Entry{}, apperr.ErrForbidden()
	}
	if err := n.Validate(s.clock.Today()); err != nil {
		return Entry{}, err
	}
	var out Entry
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertPoolEntry(ctx, sc, n); err != nil {
			return err
		}
		var err error
		if out, err = s.st.LockPoolEntry(ctx, sc, n.ParkID); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "enter", "pool_entry", n.ParkID, nil, out)
	})
	return out, err
}

// ChangeTier moves a pooled park to another tier from a date, with a reason.
func (s *Service) ChangeTier(ctx context.Context, sc identity.Scope, parkID string, d TierDecision) (Entry, error) {
	return s.change(ctx, sc, parkID, "change_tier", func(ctx context.Context, e Entry) error {
		if err := d.Validate(e, s.clock.Today()); err != nil {
			return err
		}
		return s.st.InsertTierChange(ctx, parkID, d)
	})
}

// Recognise records a featured-park recognition for a year.
func (s *Service) Recognise(ctx context.Context, sc identity.Scope, parkID string, r Recognition) (Entry, error) {
	return s.change(ctx, sc, parkID, "recognise", func(ctx context.Context, e Entry) error {
		if err := r.Validate(e); err != nil {
			return err
		}
		return s.st.InsertRecognition(ctx, parkID, r.Year)
	})
}

// change applies fn to a locked entry and records the entry before and after.
func (s *Service) change(ctx context.Context, sc identity.Scope, parkID, action string, fn func(ctx context.Context, e Entry) error) (Entry, error) {
	var out Entry
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockPoolEntry(ctx, sc, parkID)
		if err != nil {
			return err
		}
		if !sc.May(identity.SteerParks) {
			return apperr.ErrForbidden()
		}
		if err := fn(ctx, before); err != nil {
			return err
		}
		if out, err = s.st.LockPoolEntry(ctx, sc, parkID); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, action, "pool_entry", parkID, before, out)
	})
	return out, err
}
