package space

import (
	"context"

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
	CreatePark(ctx context.Context, sc identity.Scope, p Park) (Park, error)
	UpdatePark(ctx context.Context, sc identity.Scope, p Park) (Park, error)
	DeletePark(ctx context.Context, sc identity.Scope, id string) error
	ListZones(ctx context.Context, sc identity.Scope, f ZoneFilter, req page.Request) (page.Page[Zone], error)
	GetZone(ctx context.Context, sc identity.Scope, id string) (Zone, error)
	CreateZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error)
	UpdateZone(ctx context.Context, sc identity.Scope, z Zone) (Zone, error)
	DeleteZone(ctx context.Context, sc identity.Scope, id string) error
	ListBuildings(ctx context.Context, sc identity.Scope, f BuildingFilter, req page.Request) (page.Page[Building], error)
	GetBuilding(ctx context.Context, sc identity.Scope, id string) (Building, error)
	CreateBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error)
	UpdateBuilding(ctx context.Context, sc identity.Scope, b Building) (Building, error)
	DeleteBuilding(ctx context.Context, sc identity.Scope, id string) error
	ListFloors(ctx context.Context, sc identity.Scope, f FloorFilter, req page.Request) (page.Page[Floor], error)
	GetFloor(ctx context.Context, sc identity.Scope, id string) (Floor, error)
	CreateFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error)
	UpdateFloor(ctx context.Context, sc identity.Scope, f Floor) (Floor, error)
	DeleteFloor(ctx context.Context, sc identity.Scope, id string) error
	ListUnits(ctx context.Context, sc identity.Scope, f UnitFilter, req page.Request) (page.Page[Unit], error)
	GetUnit(ctx context.Context, sc identity.Scope, id string) (Unit, error)
	CreateUnit(ctx context.Context, sc identity.Scope, u Unit) (Unit, error)
	UpdateUnit(ctx context.Context, sc identity.Scope, u Unit) (Unit, error)
	DeleteUnit(ctx context.Context, sc identity.Scope, id string) error
	SplitUnit(ctx context.Context, sc identity.Scope, id string, req SplitRequest) ([]Unit, error)
	MergeUnits(ctx context.Context, sc identity.Scope, req MergeRequest) (Unit, error)
	UnitHistory(ctx context.Context, sc identity.Scope, id string) ([]UnitChange, error)
	UnitVersions(ctx context.Context, sc identity.Scope, id string) ([]UnitVersion, error)
	LeasableArea(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) (measure.Area, error)
}

// Service is the space context (§2). Its rules still run with the store's scoped writes; the
// service gives them the one clock.
type Service struct {
	Store
	clock civil.Clock
}

// NewService builds the space service.
func NewService(st Store, clock civil.Clock) *Service { return &Service{Store: st, clock: clock} }

// LeasableArea is the park's leasable gross area on a day (today when not given).
func (s *Service) LeasableArea(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) (measure.Area, error) {
	if on.IsZero() {
		on = s.clock.Today()
	}
	return s.Store.LeasableArea(ctx, sc, parkID, on)
}
