package space

import (
	"context"
	"fmt"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the space context needs, each call in the caller's scope: parks, zones,
// buildings, floors and units, their splits and merges.
type Store interface {
	ListParks(ctx context.Context, sc identity.Scope, f ParkFilter, req page.Request) (page.Page[Park], error)
	GetPark(ctx context.Context, sc identity.Scope, id string) (Park, error)
	ListZones(ctx context.Context, sc identity.Scope, f ZoneFilter, req page.Request) (page.Page[Zone], error)
	GetZone(ctx context.Context, sc identity.Scope, id string) (Zone, error)
	ListBuildings(ctx context.Context, sc identity.Scope, f BuildingFilter, req page.Request) (page.Page[Building], error)
	GetBuilding(ctx context.Context, sc identity.Scope, id string) (Building, error)
	ListFloors(ctx context.Context, sc identity.Scope, f FloorFilter, req page.Request) (page.Page[Floor], error)
	GetFloor(ctx context.Context, sc identity.Scope, id string) (Floor, error)
	ListUnits(ctx context.Context, sc identity.Scope, f UnitFilter, req page.Request) (page.Page[Unit], error)
	GetUnit(ctx context.Context, sc identity.Scope, id string) (Unit, error)
	UnitHistory(ctx context.Context, sc identity.Scope, id string) ([]UnitChange, error)
	UnitVersions(ctx context.Context, sc identity.Scope, id string) ([]UnitVersion, error)
	LeasableArea(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) (measure.Area, error)
}

// UnitStore holds the primitives the space context's writes are composed of; every one but
// InTx runs in the transaction InTx opened, and resolves the ids a record names in the caller's
// scope.
type UnitStore interface {
	InsertPark(ctx context.Context, sc identity.Scope, p Park) (Park, error)
	LockPark(ctx context.Context, sc identity.Scope, id string) (Park, error)
	SavePark(ctx context.Context, sc identity.Scope, p Park) (Park, error)
	// DeleteParkRow refuses a park that still has buildings, zones, enterprises, residencies or staff.
	DeleteParkRow(ctx context.Context, id string) error
	InsertZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error)
	LockZone(ctx context.Context, sc identity.Scope, id string) (Zone, error)
	SaveZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error)
	DeleteZoneRow(ctx context.Context, id string) error
	InsertBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error)
	LockBuilding(ctx context.Context, sc identity.Scope, id string) (Building, error)
	SaveBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error)
	DeleteBuildingRow(ctx context.Context, id string) error
	InsertFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error)
	LockFloor(ctx context.Context, sc identity.Scope, id string) (Floor, error)
	SaveFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error)
	DeleteFloorRow(ctx context.Context, id string) error
	InsertUnit(ctx context.Context, sc identity.Scope, u Unit) (Unit, error)
	LockUnit(ctx context.Context, sc identity.Scope, id string) (Unit, error)
	SaveUnit(ctx context.Context, sc identity.Scope, old, u Unit) (Unit, error)
	DeleteUnitRow(ctx context.Context, id string) error
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	LockUnits(ctx context.Context, ids []string) error
	UnitIn(ctx context.Context, sc identity.Scope, id string) (Unit, error)
	// RetireUnit ends a unit before day, refusing while a signed lease still lets it then.
	RetireUnit(ctx context.Context, id string, day civil.Date) error
	InsertNewUnit(ctx context.Context, u Unit) (Unit, error)
	// RecordUnitChange writes the new units' neighbours and the change's links.
	RecordUnitChange(ctx context.Context, sc identity.Scope, kind string, on civil.Date, from, to []Unit) (string, []Unit, error)
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
}

// Service is the space context (§2): it owns who may change parks, zones, buildings, floors and
// units and how, their splits and merges, and records every change.
type Service struct {
	Store
	units UnitStore
	clock civil.Clock
}

// NewService builds the space service.
func NewService(st interface {
	Store
	UnitStore
}, clock civil.Clock) *Service {
	return &Service{Store: st, units: st, clock: clock}
}

// mayEditUnits refuses callers whose role does not edit units (403).
func mayEditUnits(sc identity.Scope) error {
	if !sc.May(identity.EditUnits) {
		return apperr.ErrForbidden()
	}
	return nil
}

// SplitUnit retires a unit on req.EffectiveOn and makes its parts from that day. The unit's row
// is locked first, so a lease being signed on it waits and then finds it retired.
func (s *Service) SplitUnit(ctx context.Context, sc identity.Scope, id string, req SplitRequest) ([]Unit, error) {
	var out []Unit
	err := s.units.InTx(ctx, func(ctx context.Context) error {
		if err := s.units.LockUnits(ctx, []string{id}); err != nil {
			return err
		}
		parent, err := s.units.UnitIn(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := mayEditUnits(sc); err != nil {
			return err
		}
		parts, err := Split(parent, req)
		if err != nil {
			return err
		}
		if err := s.units.RetireUnit(ctx, parent.ID, req.EffectiveOn); err != nil {
			return err
		}
		for i := range parts {
			if parts[i], err = s.units.InsertNewUnit(ctx, parts[i]); err != nil {
				return err
			}
		}
		for i := range parts {
			parts[i].NeighbourIDs = SplitNeighbours(parent, parts, i)
		}
		changeID, made, err := s.units.RecordUnitChange(ctx, sc, "split", req.EffectiveOn, []Unit{parent}, parts)
		if err != nil {
			return err
		}
		out = made
		return s.units.Record(ctx, sc, "split", "unit", changeID, []Unit{parent}, out)
	})
	return out, err
}

// MergeUnits retires neighbouring units on req.EffectiveOn and makes the merged unit from then.
func (s *Service) MergeUnits(ctx context.Context, sc identity.Scope, req MergeRequest) (Unit, error) {
	var out Unit
	err := s.units.InTx(ctx, func(ctx context.Context) error {
		if err := s.units.LockUnits(ctx, req.UnitIDs); err != nil {
			return err
		}
		var parents []Unit
		for i, id := range req.UnitIDs {
			if slices.Index(req.UnitIDs, id) != i {
				continue // named twice
			}
			u, err := s.units.UnitIn(ctx, sc, id)
			if apperr.Is(err, apperr.NotFound) {
				var f apperr.Fields
				f.Add(fmt.Sprintf("unit_ids[%d]", i), "not_found", "单元不存在", "no such unit")
				return f.Err()
			}
			if err != nil {
				return err
			}
			parents = append(parents, u)
		}
		if err := mayEditUnits(sc); err != nil {
			return err
		}
		merged, err := Merge(parents, req)
		if err != nil {
			return err
		}
		for _, p := range parents {
			if err := s.units.RetireUnit(ctx, p.ID, req.EffectiveOn); err != nil {
				return err
			}
		}
		if merged, err = s.units.InsertNewUnit(ctx, merged); err != nil {
			return err
		}
		changeID, made, err := s.units.RecordUnitChange(ctx, sc, "merge", req.EffectiveOn, parents, []Unit{merged})
		if err != nil {
			return err
		}
		out = made[0]
		return s.units.Record(ctx, sc, "merge", "unit", changeID, parents, made)
	})
	return out, err
}

// LeasableArea is the park's leasable gross area on a day (today when not given).
func (s *Service) LeasableArea(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) (measure.Area, error) {
	if on.IsZero() {
		on = s.clock.Today()
	}
	return s.Store.LeasableArea(ctx, sc, parkID, on)
}
