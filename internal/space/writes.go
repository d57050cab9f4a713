package space

import (
	"context"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// mayEditPark: staff who edit space, of that park.
func mayEditPark(sc identity.Scope, parkID string) bool {
	return sc.CanEditSpace() && sc.HasPark(parkID)
}

// write runs fn in one transaction and records its result as action on entity.
func write[T any](ctx context.Context, s *Service, sc identity.Scope, action, entity string, fn func(ctx context.Context) (before, after T, id string, err error)) (T, error) {
	var out T
	err := s.units.InTx(ctx, func(ctx context.Context) error {
		before, after, id, err := fn(ctx)
		if err != nil {
			return err
		}
		out = after
		if action == "create" {
			return s.units.Record(ctx, sc, action, entity, id, nil, after)
		}
		return s.units.Record(ctx, sc, action, entity, id, before, after)
	})
	return out, err
}

// CreatePark adds a park; only the administrator does.
func (s *Service) CreatePark(ctx context.Context, sc identity.Scope, p Park) (Park, error) {
	if sc.Role != identity.Admin {
		return p, apperr.ErrForbidden()
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	return write(ctx, s, sc, "create", "park", func(ctx context.Context) (Park, Park, string, error) {
		out, err := s.units.InsertPark(ctx, sc, p)
		return Park{}, out, out.ID, err
	})
}

// UpdatePark saves a park the caller operates.
func (s *Service) UpdatePark(ctx context.Context, sc identity.Scope, p Park) (Park, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	return write(ctx, s, sc, "update", "park", func(ctx context.Context) (Park, Park, string, error) {
		old, err := s.units.LockPark(ctx, sc, p.ID)
		if err != nil {
			return old, old, p.ID, err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, p.UpdatedAt); err != nil {
			return old, old, p.ID, err
		}
		if !mayEditPark(sc, p.ID) {
			return old, old, p.ID, apperr.ErrForbidden()
		}
		p.CreatedAt = old.CreatedAt
		out, err := s.units.SavePark(ctx, sc, p)
		return old, out, p.ID, err
	})
}

// DeletePark removes an empty park.
func (s *Service) DeletePark(ctx context.Context, sc identity.Scope, id string) error {
	return remove(ctx, s, sc, "park", id, func(ctx context.Context) (Park, error) {
		old, err := s.units.LockPark(ctx, sc, id)
		if err != nil {
			return old, err
		}
		if !sc.May(identity.DeleteParks) {
			return old, apperr.ErrForbidden()
		}
		return old, s.units.DeleteParkRow(ctx, id)
	})
}

// CreateZone adds a zone to a park the caller operates.
func (s *Service) CreateZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error) {
	if err := z.Validate(); err != nil {
		return z, err
	}
	return write(ctx, s, sc, "create", "zone", func(ctx context.Context) (Zone, Zone, string, error) {
		if !sc.CanEditSpace() {
			return z, z, "", apperr.ErrForbidden()
		}
		out, err := s.units.InsertZone(ctx, sc, z)
		return Zone{}, out, out.ID, err
	})
}

// UpdateZone saves a zone; it stays in its park.
func (s *Service) UpdateZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error) {
	return write(ctx, s, sc, "update", "zone", func(ctx context.Context) (Zone, Zone, string, error) {
		old, err := s.units.LockZone(ctx, sc, z.ID)
		if err != nil {
			return old, old, z.ID, err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, z.UpdatedAt); err != nil {
			return old, old, z.ID, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, old, z.ID, apperr.ErrForbidden()
		}
		z.ParkID, z.CreatedAt = old.ParkID, old.CreatedAt
		if err := z.Validate(); err != nil {
			return old, old, z.ID, err
		}
		out, err := s.units.SaveZone(ctx, sc, z)
		return old, out, z.ID, err
	})
}

// DeleteZone removes a zone without buildings.
func (s *Service) DeleteZone(ctx context.Context, sc identity.Scope, id string) error {
	return remove(ctx, s, sc, "zone", id, func(ctx context.Context) (Zone, error) {
		old, err := s.units.LockZone(ctx, sc, id)
		if err != nil {
			return old, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, apperr.ErrForbidden()
		}
		return old, s.units.DeleteZoneRow(ctx, id)
	})
}

// CreateBuilding adds a building to a park the caller operates.
func (s *Service) CreateBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	return write(ctx, s, sc, "create", "building", func(ctx context.Context) (Building, Building, string, error) {
		if !sc.CanEditSpace() {
			return b, b, "", apperr.ErrForbidden()
		}
		out, err := s.units.InsertBuilding(ctx, sc, b)
		return Building{}, out, out.ID, err
	})
}

// UpdateBuilding saves a building; it stays in its park.
func (s *Service) UpdateBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error) {
	return write(ctx, s, sc, "update", "building", func(ctx context.Context) (Building, Building, string, error) {
		old, err := s.units.LockBuilding(ctx, sc, b.ID)
		if err != nil {
			return old, old, b.ID, err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, b.UpdatedAt); err != nil {
			return old, old, b.ID, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, old, b.ID, apperr.ErrForbidden()
		}
		b.ParkID, b.CreatedAt = old.ParkID, old.CreatedAt
		if err := b.Validate(); err != nil {
			return old, old, b.ID, err
		}
		out, err := s.units.SaveBuilding(ctx, sc, b)
		return old, out, b.ID, err
	})
}

// DeleteBuilding removes a building without floors.
func (s *Service) DeleteBuilding(ctx context.Context, sc identity.Scope, id string) error {
	return remove(ctx, s, sc, "building", id, func(ctx context.Context) (Building, error) {
		old, err := s.units.LockBuilding(ctx, sc, id)
		if err != nil {
			return old, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, apperr.ErrForbidden()
		}
		return old, s.units.DeleteBuildingRow(ctx, id)
	})
}

// CreateFloor adds a floor to a building the caller operates.
func (s *Service) CreateFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	return write(ctx, s, sc, "create", "floor", func(ctx context.Context) (Floor, Floor, string, error) {
		if !sc.CanEditSpace() {
			return f, f, "", apperr.ErrForbidden()
		}
		out, err := s.units.InsertFloor(ctx, sc, f)
		return Floor{}, out, out.ID, err
	})
}

// UpdateFloor saves a floor; it stays in its building.
func (s *Service) UpdateFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error) {
	return write(ctx, s, sc, "update", "floor", func(ctx context.Context) (Floor, Floor, string, error) {
		old, err := s.units.LockFloor(ctx, sc, f.ID)
		if err != nil {
			return old, old, f.ID, err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, f.UpdatedAt); err != nil {
			return old, old, f.ID, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, old, f.ID, apperr.ErrForbidden()
		}
		f.ParkID, f.BuildingID, f.CreatedAt = old.ParkID, old.BuildingID, old.CreatedAt
		if err := f.Validate(); err != nil {
			return old, old, f.ID, err
		}
		out, err := s.units.SaveFloor(ctx, sc, f)
		return old, out, f.ID, err
	})
}

// DeleteFloor removes a floor without units.
func (s *Service) DeleteFloor(ctx context.Context, sc identity.Scope, id string) error {
	return remove(ctx, s, sc, "floor", id, func(ctx context.Context) (Floor, error) {
		old, err := s.units.LockFloor(ctx, sc, id)
		if err != nil {
			return old, err
		}
		if !mayEditPark(sc, old.ParkID) {
			return old, apperr.ErrForbidden()
		}
		return old, s.units.DeleteFloorRow(ctx, id)
	})
}

// CreateUnit adds a unit to a floor; it exists from its valid_from (today when not given).
func (s *Service) CreateUnit(ctx context.Context, sc identity.Scope, u Unit) (Unit, error) {
	if err := u.Validate(s.clock.Today()); err != nil {
		return u, err
	}
	if !sc.CanEditUnits() {
		return u, apperr.ErrForbidden()
	}
	return write(ctx, s, sc, "create", "unit", func(ctx context.Context) (Unit, Unit, string, error) {
		out, err := s.units.InsertUnit(ctx, sc, u)
		return Unit{}, out, out.ID, err
	})
}

// UpdateUnit saves a unit. A change of kind, areas or leasable takes effect on u.EffectiveOn
// (today when not given, never before: past figures do not change) and keeps what was before.
func (s *Service) UpdateUnit(ctx context.Context, sc identity.Scope, u Unit) (Unit, error) {
	return write(ctx, s, sc, "update", "unit", func(ctx context.Context) (Unit, Unit, string, error) {
		old, err := s.units.LockUnit(ctx, sc, u.ID)
		if err != nil {
			return old, old, u.ID, err
		}
		if err := apperr.UnchangedSince(old.UpdatedAt, u.UpdatedAt); err != nil {
			return old, old, u.ID, err
		}
		if !mayEditUnitsOf(sc, old.ParkID) {
			return old, old, u.ID, apperr.ErrForbidden()
		}
		u.ParkID, u.BuildingID, u.FloorID = old.ParkID, old.BuildingID, old.FloorID
		u.ValidFrom, u.ValidTo, u.CreatedAt = old.ValidFrom, old.ValidTo, old.CreatedAt
		today := s.clock.Today()
		if err := u.Validate(today); err != nil {
			return old, old, u.ID, err
		}
		if old.Reshapes(u) {
			if u.EffectiveOn.IsZero() {
				u.EffectiveOn = today
			}
			if err := old.CheckEffectiveOn(u.EffectiveOn, today); err != nil {
				return old, old, u.ID, err
			}
		}
		out, err := s.units.SaveUnit(ctx, sc, old, u)
		return old, out, u.ID, err
	})
}

// DeleteUnit removes a unit entered by mistake; one with history stays.
func (s *Service) DeleteUnit(ctx context.Context, sc identity.Scope, id string) error {
	return remove(ctx, s, sc, "unit", id, func(ctx context.Context) (Unit, error) {
		old, err := s.units.LockUnit(ctx, sc, id)
		if err != nil {
			return old, err
		}
		if !mayEditUnitsOf(sc, old.ParkID) {
			return old, apperr.ErrForbidden()
		}
		return old, s.units.DeleteUnitRow(ctx, id)
	})
}

// mayEditUnitsOf: staff who edit units, of the unit's park.
func mayEditUnitsOf(sc identity.Scope, parkID string) bool {
	return sc.CanEditUnits() && sc.HasPark(parkID)
}

// remove runs fn, which deletes a record and returns it as it was, in one transaction, and
// records the deletion.
func remove[T any](ctx context.Context, s *Service, sc identity.Scope, entity, id string, fn func(ctx context.Context) (T, error)) error {
	return s.units.InTx(ctx, func(ctx context.Context) error {
		old, err := fn(ctx)
		if err != nil {
			return err
		}
		return s.units.Record(ctx, sc, "delete", entity, id, old, nil)
	})
}
